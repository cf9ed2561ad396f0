import { type Categorisation, type Feedback, FeedbackCategorised } from '@cxloop/events';
import { describe, expect, it } from 'vitest';
import { applyEscalation, type ManagedCase, openCase } from '../src/domain/case-lifecycle';
import { defaultFollowUpConfig, followUpConfigSchema } from '../src/domain/config';
import {
  caseEscalatedJobs,
  caseOpenedJobs,
  deterministicJobId,
  renderSlackFeedbackMessage,
  ruleMessageJob,
} from '../src/domain/notifications';
import { outboundJobSchema } from '../src/domain/outbound-job';
import type { CategorisedFeedback, PlannedAction } from '../src/domain/rules';

const example = FeedbackCategorised.dataSchema.parse(FeedbackCategorised.example);
const categorised = (
  feedback: Partial<Feedback> = {},
  categorisation: Partial<Categorisation> = {},
): CategorisedFeedback => ({
  feedback: { ...example.feedback, ...feedback },
  categorisation: { ...example.categorisation, ...categorisation },
});
const openedAt = new Date('2026-11-20T09:00:00Z');
const caseUrl = 'https://cx.example.com/dashboard/#/cases/case_1';
const trace = { correlationId: 'corr-1', causationId: 'evt-1' };

function managedCase(owner = 'logistics'): ManagedCase {
  return openCase(
    categorised(),
    {
      type: 'open_case',
      reason: 'detractor',
      routing: { to: 'account_owner' },
      priority: 'high',
      slaHours: 24,
      ruleId: 'r',
    },
    owner,
    openedAt,
  );
}

const valid = (jobs: unknown[]) => jobs.map((job) => outboundJobSchema.parse(job));

describe('deterministicJobId', () => {
  it('is stable, distinct per input and a valid job id', () => {
    const id = deterministicJobId('case_opened', 'case_1', 0);
    expect(id).toBe(deterministicJobId('case_opened', 'case_1', 0));
    expect(id).not.toBe(deterministicJobId('case_opened', 'case_1', 1));
    expect(id).toMatch(/^case_opened_[A-Za-z0-9_-]{32}$/);
  });
});

describe('caseOpenedJobs', () => {
  const config = followUpConfigSchema.parse({ owners: { logistics: { slackTarget: 'logistics' } }, locale: 'ru' });

  it('sends the owner’s Slack target a message in the configured language linking to the case', () => {
    const [slack, ...rest] = valid(caseOpenedJobs(managedCase(), { config, caseUrl, trace }));
    expect(rest).toEqual([]);
    expect(slack).toMatchObject({
      channel: 'slack',
      purpose: 'case_opened',
      target: 'logistics',
      caseId: 'case_fb_01JD8X4Q2V6N3M5K7P9R1T3W5Y',
      correlationId: 'corr-1',
    });
    expect(slack).not.toHaveProperty('personKey');
    expect(JSON.stringify(slack)).toContain('Новый кейс');
    expect(JSON.stringify(slack)).toContain(caseUrl);
  });

  it('leaves the target to the sender’s default for owners without one, and adds case.opened when configured', () => {
    const jobs = valid(
      caseOpenedJobs(managedCase('anna'), { config: { ...defaultFollowUpConfig, caseWebhooks: true }, caseUrl, trace }),
    );
    expect(jobs.map((job) => job.channel)).toEqual(['slack', 'webhook']);
    expect(jobs[0]).not.toHaveProperty('target');
    expect(jobs[1]).toMatchObject({
      type: 'case.opened',
      data: { caseId: managedCase().caseId, reopened: false, url: caseUrl },
    });
  });

  it('announces a reopened case with new job ids', () => {
    const first = caseOpenedJobs(managedCase(), { config, caseUrl, trace });
    const reopened = caseOpenedJobs({ ...managedCase(), reopenCount: 1 }, { config, caseUrl, trace });
    expect(reopened[0]?.jobId).not.toBe(first[0]?.jobId);
    expect(caseOpenedJobs(managedCase(), { config, caseUrl, trace })[0]?.jobId).toBe(first[0]?.jobId);
  });
});

describe('caseEscalatedJobs', () => {
  const config = followUpConfigSchema.parse({
    owners: { logistics: { slackTarget: 'logistics' }, 'cx-lead': { slackTarget: 'leads' } },
  });
  const at = '2026-11-21T09:00:05.000Z';

  it('goes to the step’s Slack target, else the (new) owner’s, else the default', () => {
    const toChannel = { level: 1, at, to: { channel: 'slack' as const, target: 'escalations' } };
    const [viaStep] = valid(
      caseEscalatedJobs(applyEscalation(managedCase(), toChannel), toChannel, { config, caseUrl, trace }),
    );
    expect(viaStep).toMatchObject({ channel: 'slack', purpose: 'case_escalated', target: 'escalations' });

    const toOwner = { level: 2, at, to: { owner: 'cx-lead' } };
    const [viaOwner] = valid(
      caseEscalatedJobs(applyEscalation(managedCase(), toOwner), toOwner, { config, caseUrl, trace }),
    );
    expect(viaOwner).toMatchObject({ target: 'leads' });

    const plain = { level: 1, at, to: { channel: 'slack' as const } };
    const [fallback] = valid(caseEscalatedJobs(managedCase('nobody'), plain, { config, caseUrl, trace }));
    expect(fallback).not.toHaveProperty('target');
    expect(JSON.stringify(fallback)).toContain('overdue');
  });

  it('calls the step’s webhook endpoint when the step names the webhook channel', () => {
    const toWebhook = { level: 1, at, to: { channel: 'webhook' as const, target: 'pagerduty' } };
    const jobs = valid(caseEscalatedJobs(managedCase(), toWebhook, { config, caseUrl, trace }));
    expect(jobs.map((job) => job.channel)).toEqual(['slack', 'webhook']);
    expect(jobs[1]).toMatchObject({ target: 'pagerduty', type: 'case.escalated', data: { level: 1 } });
    expect(new Set(jobs.map((job) => job.jobId)).size).toBe(2);
  });
});

describe('ruleMessageJob', () => {
  const context = { config: defaultFollowUpConfig, caseUrl, trace };
  const invite: Exclude<PlannedAction, { type: 'open_case' }> = {
    type: 'invite_review',
    template: 'thank_you_review',
    reviewUrl: 'https://reviews.example.com/acme',
    ruleId: 'promoter-thank-you',
  };
  const promoter = (respondent: Feedback['respondent']) =>
    categorised({ score: { value: 10, min: 0, max: 10, normalised: 1 }, respondent });

  it('e-mails a review invitation in the respondent’s language, keyed for the sender’s de-duplication', () => {
    const plan = ruleMessageJob(
      invite,
      promoter({ id: 'u-1', email: 'Anna@Example.com', locale: 'ru-RU', verified: true, emailVerified: true }),
      context,
    );
    if (!('job' in plan)) throw new Error(plan.skipped);
    expect(outboundJobSchema.parse(plan.job)).toMatchObject({
      channel: 'email',
      purpose: 'review_invitation',
      to: 'Anna@Example.com',
      locale: 'ru',
      personKey: 'id:u-1',
      template: 'thank_you_review',
      variables: { reviewUrl: 'https://reviews.example.com/acme' },
      feedbackId: example.feedback.feedbackId,
    });
    const again = ruleMessageJob(
      invite,
      promoter({ id: 'u-1', email: 'Anna@Example.com', locale: 'ru-RU', verified: true, emailVerified: true }),
      context,
    );
    expect('job' in again && again.job.jobId).toBe(plan.job.jobId);
  });

  it('sends a plain thank-you when no review link is known', () => {
    const { reviewUrl: _url, ...withoutUrl } = invite;
    const plan = ruleMessageJob(
      withoutUrl,
      promoter({ email: 'a@example.com', verified: false, emailVerified: true }),
      context,
    );
    expect(plan).toMatchObject({ job: { template: 'thank_you', purpose: 'thank_you', variables: {}, locale: 'en' } });
  });

  it('skips quietly when the respondent left no e-mail address', () => {
    expect(
      ruleMessageJob(invite, promoter({ anonymousId: 'anon_1', verified: false, emailVerified: false }), context),
    ).toEqual({ skipped: 'no proven e-mail address' });
  });

  it('never writes to an address that was only claimed, whatever else was proven', () => {
    const claimed = promoter({ id: 'u-1', email: 'victim@example.org', verified: true, emailVerified: false });
    expect(ruleMessageJob(invite, claimed, context)).toEqual({ skipped: 'no proven e-mail address' });
    const mail = { ...invite, type: 'send_message', channel: 'email', template: 'thank_you' } as const;
    expect(ruleMessageJob(mail, claimed, context)).toEqual({ skipped: 'no proven e-mail address' });
  });

  it('notifies Slack and webhooks about the feedback without the person key', () => {
    const slack = ruleMessageJob(
      { type: 'notify', channel: 'slack', target: 'cx-feed', ruleId: 'n' },
      categorised(),
      context,
    );
    expect(slack).toMatchObject({ job: { channel: 'slack', target: 'cx-feed', purpose: 'feedback_notification' } });
    const webhook = ruleMessageJob({ type: 'notify', channel: 'webhook', ruleId: 'n' }, categorised(), context);
    expect(webhook).toMatchObject({
      job: { channel: 'webhook', type: 'feedback.notify', data: { topics: ['delivery'] } },
    });
    for (const plan of [slack, webhook]) {
      if (!('job' in plan)) throw new Error('expected a job');
      expect(outboundJobSchema.parse(plan.job)).not.toHaveProperty('personKey');
    }
    expect(
      ruleMessageJob(
        { type: 'notify', channel: 'email', target: 'cx@example.com', ruleId: 'n' },
        categorised(),
        context,
      ),
    ).toHaveProperty('skipped');
  });

  it('opens a Zendesk ticket that points at the case', () => {
    const plan = ruleMessageJob(
      { type: 'send_message', channel: 'zendesk', template: 'detractor', ruleId: 'z' },
      categorised(),
      context,
    );
    if (!('job' in plan)) throw new Error(plan.skipped);
    expect(outboundJobSchema.parse(plan.job)).toMatchObject({
      channel: 'zendesk',
      ticket: { ticket: { external_id: `case_${example.feedback.feedbackId}` } },
    });
  });
});

describe('renderSlackFeedbackMessage', () => {
  it('quotes the comment escaped and names score, sentiment and topics', () => {
    const message = renderSlackFeedbackMessage(categorised({ text: 'Курьер <опоздал> & не позвонил' }), 'ru');
    expect(message.text).toContain('Отзыв: NPS 3 (detractor)');
    expect(JSON.stringify(message.blocks)).toContain('&lt;опоздал&gt; &amp;');
    expect(JSON.stringify(message.blocks)).toContain('delivery');
  });
});
