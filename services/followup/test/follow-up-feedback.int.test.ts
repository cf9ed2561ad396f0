import { describe, expect, it } from 'vitest';
import { applyCaseCommand } from '../src/domain/case-lifecycle';
import { type FollowUpConfigInput, followUpConfigSchema } from '../src/domain/config';
import { defaultRuleSet, type RuleSet, ruleSetSchema } from '../src/domain/rules';
import { followUpFeedback } from '../src/use-cases/follow-up-feedback';
import { casesTable, categorisedEvent, example, hoursAfter, nps, recorders } from './cases-fixtures';

const now = new Date('2026-11-20T10:00:00Z');
const caseId = `case_${example.feedback.feedbackId}`;

async function setup(options: { config?: FollowUpConfigInput; ruleSet?: RuleSet } = {}) {
  const table = await casesTable();
  const record = recorders();
  const config = followUpConfigSchema.parse(options.config ?? {});
  const deps = {
    cases: table.cases,
    publish: record.publish,
    enqueue: record.enqueue,
    timers: record.timers,
    publicApiUrl: 'https://api.example.com',
    ruleSet: async () => options.ruleSet ?? defaultRuleSet,
    config: async () => config,
  };
  return { ...table, record, deps };
}

describe('followUpFeedback against DynamoDB Local', () => {
  it('opens one case for a detractor delivered twice: one CaseOpened, one timer, one Slack job, one FollowUpRequested', async () => {
    const { deps, record, cases } = await setup({
      config: {
        routing: { fallbackOwner: 'cx-team', topicTeams: { delivery: 'logistics' } },
        owners: { logistics: { slackTarget: 'logistics' } },
      },
    });
    const event = categorisedEvent({
      feedback: {
        ...nps(3),
        respondent: { id: 'u-1', email: 'anna@example.com', locale: 'ru-RU', verified: true, emailVerified: true },
      },
    });
    const first = await followUpFeedback(deps, event, now);
    const second = await followUpFeedback(deps, event, hoursAfter(now, 0.1));

    expect(first).toMatchObject({ outcome: 'handled', case: { outcome: 'opened', caseId, owner: 'logistics' } });
    expect(second).toEqual({ outcome: 'duplicate', handledRevision: 1 });
    const { cases: open } = await cases.list({ status: 'open', now, limit: 10 });
    expect(open).toEqual([
      expect.objectContaining({
        caseId,
        owner: 'logistics',
        reason: 'detractor',
        priority: 'high',
        dueAt: '2026-11-21T10:00:00.000Z',
        respondent: { id: 'u-1', email: 'anna@example.com', locale: 'ru-RU' },
        version: 1,
      }),
    ]);
    expect(record.ofType('CaseOpened')).toHaveLength(1);
    expect(record.ofType('CaseOpened')[0]?.data).toMatchObject({
      caseId,
      owner: 'logistics',
      ruleId: 'detractor',
    });
    expect(record.ofType('FollowUpRequested')).toHaveLength(1);
    expect(record.armed).toEqual([
      {
        timer: { caseId, period: 0, level: 1, fireAt: '2026-11-21T10:00:00.000Z', dueAt: '2026-11-21T10:00:00.000Z' },
        now,
      },
    ]);
    expect(record.jobs).toEqual([
      expect.objectContaining({ channel: 'slack', purpose: 'case_opened', target: 'logistics', caseId }),
    ]);
    expect(await cases.latestCaseOf('id:u-1')).toBe(caseId);
  });

  it('finishes a delivery that failed half-way without announcing twice', async () => {
    const { deps, record } = await setup();
    const event = categorisedEvent({ feedback: nps(2) });
    let failEnqueue = true;
    const flaky = {
      ...deps,
      enqueue: async (jobs: readonly unknown[]) => {
        if (failEnqueue) throw new Error('SQS unavailable');
        await record.enqueue(jobs);
      },
    };
    await expect(followUpFeedback(flaky, event, now)).rejects.toThrow('SQS unavailable');
    failEnqueue = false;
    await followUpFeedback(flaky, event, now);
    await followUpFeedback(flaky, event, now);
    // The crash came after CaseOpened was published and before the case recorded it: published again, once.
    expect(record.ofType('CaseOpened')).toHaveLength(2);
    expect(record.jobs.filter((job) => job.purpose === 'case_opened')).toHaveLength(1);
    expect(record.ofType('FollowUpRequested')).toHaveLength(1);
  });

  it('thanks a promoter by e-mail with a review invitation, and opens no case', async () => {
    const { deps, record, cases } = await setup({ config: { reviewUrl: 'https://reviews.example.com/acme' } });
    const event = categorisedEvent({
      feedback: {
        ...nps(10),
        respondent: { email: 'boris@example.com', locale: 'en-GB', verified: false, emailVerified: true },
      },
      categorisation: { sentiment: { label: 'positive', score: 0.8 }, topics: [], intents: [] },
    });
    await followUpFeedback(deps, event, now);
    await followUpFeedback(
      deps,
      categorisedEvent({ feedback: event.data.feedback, categorisation: event.data.categorisation }, 'event-2'),
      now,
    );
    expect(record.jobs).toEqual([
      expect.objectContaining({
        channel: 'email',
        purpose: 'review_invitation',
        to: 'boris@example.com',
        locale: 'en',
        personKey: 'email:boris@example.com',
        variables: { reviewUrl: 'https://reviews.example.com/acme' },
      }),
    ]);
    expect(record.ofType('CaseOpened')).toEqual([]);
    expect((await cases.list({ status: 'open', now, limit: 10 })).cases).toEqual([]);
  });

  it('ignores a revision older than one it handled, and handles a newer one without a second case', async () => {
    const { deps, record } = await setup();
    const revision2 = categorisedEvent({ feedback: { ...nps(2), revision: 2 } }, 'event-r2');
    const revision1 = categorisedEvent({ feedback: { ...nps(9), revision: 1 } }, 'event-r1');
    const revision3 = categorisedEvent({ feedback: { ...nps(1), revision: 3 } }, 'event-r3');
    expect(await followUpFeedback(deps, revision2, now)).toMatchObject({
      outcome: 'handled',
      case: { outcome: 'opened' },
    });
    expect(await followUpFeedback(deps, revision1, now)).toEqual({ outcome: 'stale', handledRevision: 2 });
    expect(await followUpFeedback(deps, revision3, now)).toMatchObject({
      outcome: 'handled',
      case: { outcome: 'existing', caseId },
    });
    expect(record.ofType('CaseOpened')).toHaveLength(1);
    expect(record.ofType('FollowUpRequested').map((event) => event.data)).toMatchObject([
      { revision: 2 },
      { revision: 3 },
    ]);
    expect(record.jobs.filter((job) => job.channel === 'email')).toEqual([]);
  });

  it('reopens the person’s resolved case on new negative feedback instead of opening another, with a fresh SLA', async () => {
    const { deps, record, cases } = await setup();
    const respondent = { id: 'u-9', locale: 'ru-RU', verified: true, emailVerified: false };
    await followUpFeedback(deps, categorisedEvent({ feedback: { ...nps(3), respondent } }), now);
    const stored = (await cases.get(caseId))!;
    const contactedAt = hoursAfter(now, 2);
    const resolved = applyCaseCommand(
      applyCaseCommand(stored.case, { type: 'record_contact' }, contactedAt),
      { type: 'resolve' },
      hoursAfter(now, 3),
    );
    await cases.save(resolved, stored.version);

    const later = hoursAfter(now, 24 * 5);
    const again = categorisedEvent({ feedback: { ...nps(1), feedbackId: 'fb_second', respondent } }, 'event-2');
    const outcome = await followUpFeedback(deps, again, later);
    await followUpFeedback(deps, again, later);

    expect(outcome).toMatchObject({ outcome: 'handled', case: { outcome: 'reopened', caseId } });
    expect(await cases.get('case_fb_second')).toBeUndefined();
    const reopened = (await cases.get(caseId))!;
    expect(reopened.case).toMatchObject({
      status: 'open',
      reopenCount: 1,
      relatedFeedbackIds: ['fb_second'],
      dueAt: hoursAfter(later, 24).toISOString(),
      firstContactAt: contactedAt.toISOString(),
    });
    expect(record.ofType('CaseOpened').map((event) => event.data)).toEqual([
      expect.not.objectContaining({ reopened: true }),
      expect.objectContaining({ caseId, reopened: true, dueAt: hoursAfter(later, 24).toISOString() }),
    ]);
    expect(record.armed.map(({ timer }) => [timer.period, timer.level])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(record.jobs.filter((job) => job.purpose === 'case_opened')).toHaveLength(2);
  });

  it('adds new negative feedback to a case still being worked on, and opens a new case once the reopen window passed', async () => {
    const { deps, cases } = await setup({ config: { reopen: { reopenWithinDays: 7 } } });
    const respondent = { email: 'vera@example.com', verified: false, emailVerified: true };
    await followUpFeedback(deps, categorisedEvent({ feedback: { ...nps(3), respondent } }), now);
    const attached = await followUpFeedback(
      deps,
      categorisedEvent({ feedback: { ...nps(4), feedbackId: 'fb_b', respondent } }, 'e-b'),
      hoursAfter(now, 1),
    );
    expect(attached).toMatchObject({ case: { outcome: 'attached', caseId } });
    expect((await cases.get(caseId))?.case.relatedFeedbackIds).toEqual(['fb_b']);

    const stored = (await cases.get(caseId))!;
    await cases.save(applyCaseCommand(stored.case, { type: 'close' }, hoursAfter(now, 2)), stored.version);
    const muchLater = hoursAfter(now, 24 * 10);
    const fresh = await followUpFeedback(
      deps,
      categorisedEvent({ feedback: { ...nps(0), feedbackId: 'fb_c', respondent } }, 'e-c'),
      muchLater,
    );
    expect(fresh).toMatchObject({ case: { outcome: 'opened', caseId: 'case_fb_c' } });
    expect(await cases.latestCaseOf('email:vera@example.com')).toBe('case_fb_c');
  });

  it('routes by topic, takes the reason’s configured SLA, and follows a stored rule set', async () => {
    const ruleSet = ruleSetSchema.parse({
      version: 4,
      rules: [
        {
          id: 'delivery-complaints',
          name: 'Delivery complaints → logistics',
          when: [{ topics: ['delivery'], sentiments: ['negative'] }],
          actions: [
            { type: 'open_case', reason: 'delivery', routing: { to: 'topic_team' } },
            { type: 'notify', channel: 'slack', target: 'delivery-feed' },
          ],
        },
      ],
    });
    const { deps, record } = await setup({
      ruleSet,
      config: {
        routing: { fallbackOwner: 'cx-team', topicTeams: { delivery: 'logistics' } },
        sla: { byReason: { delivery: 4 } },
      },
    });
    await followUpFeedback(deps, categorisedEvent({ feedback: nps(7) }), now);
    expect(record.ofType('CaseOpened')[0]?.data).toMatchObject({
      owner: 'logistics',
      reason: 'delivery',
      dueAt: '2026-11-20T14:00:00.000Z',
    });
    expect(record.ofType('FollowUpRequested')[0]?.data).toMatchObject({
      ruleSetVersion: 4,
      matchedRuleIds: ['delivery-complaints'],
    });
    expect(record.jobs.map((job) => [job.channel, job.purpose])).toEqual([
      ['slack', 'case_opened'],
      ['slack', 'feedback_notification'],
    ]);
  });

  it('publishes nothing for feedback no rule matches', async () => {
    const { deps, record } = await setup();
    const outcome = await followUpFeedback(
      deps,
      categorisedEvent({ feedback: nps(8), categorisation: { sentiment: { label: 'neutral', score: 0 } } }),
      now,
    );
    expect(outcome).toMatchObject({ outcome: 'handled', matchedRuleIds: [], case: { outcome: 'none' } });
    expect(record.published).toEqual([]);
    expect(record.jobs).toEqual([]);
  });

  it('leaves imported (historical) feedback alone: no case, no message, no FollowUpRequested', async () => {
    const { deps, record, cases } = await setup({ config: { reviewUrl: 'https://reviews.example.com/acme' } });
    const respondent = { id: 'u-9', email: 'olga@example.com', verified: true, emailVerified: true };
    for (const [score, eventId] of [
      [2, 'event-detractor'],
      [10, 'event-promoter'],
    ] as const) {
      const outcome = await followUpFeedback(
        deps,
        categorisedEvent(
          {
            feedback: {
              ...nps(score),
              feedbackId: `fb_${eventId}`,
              respondent,
              historical: true,
              occurredAt: '2026-03-02T08:00:00.000Z',
            },
          },
          eventId,
        ),
        now,
      );
      expect(outcome).toEqual({ outcome: 'historical' });
    }
    expect(record.published).toEqual([]);
    expect(record.jobs).toEqual([]);
    expect(record.armed).toEqual([]);
    expect((await cases.list({ status: 'open', now, limit: 10 })).cases).toEqual([]);
    expect(await cases.latestCaseOf('id:u-9')).toBeUndefined();
  });
});
