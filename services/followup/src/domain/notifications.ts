import { createHash } from 'node:crypto';
import type { EventData, MetricAlertRaised } from '@cxloop/events';
import { type CaseEscalation, caseIdOf, type ManagedCase } from './case-lifecycle';
import { type FollowUpConfig, slackTargetOf } from './config';
import {
  escapeSlack,
  idempotencyKey,
  type MessageLocale,
  messageLocaleOf,
  renderSlackCaseMessage,
  renderZendeskTicket,
  type SlackMessage,
} from './messages';
import type { OutboundJobInput } from './outbound-job';
import { personKeyOf, provenContactOf } from './person';
import { type CategorisedFeedback, type PlannedAction, scoreCategoryOf } from './rules';

/**
 * The outbound jobs the cases area produces (case opened / escalated, rule messages, metric alerts), as pure
 * functions of their inputs: every job id is derived from what the job is about, so a retried producer enqueues the
 * same job and the sender delivers it once.
 */

export interface JobTrace {
  correlationId?: string;
  causationId?: string;
}

const traceOf = (trace: JobTrace) => ({
  ...(trace.correlationId ? { correlationId: trace.correlationId } : {}),
  ...(trace.causationId ? { causationId: trace.causationId } : {}),
});

/** `<prefix>_<32 base64url characters of SHA-256 over the parts>`: stable, and valid as an outbound `jobId`. */
export function deterministicJobId(prefix: string, ...parts: readonly (string | number)[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([prefix, ...parts]))
    .digest('base64url');
  return `${prefix}_${digest.slice(0, 32)}`;
}

export interface CaseJobContext {
  config: FollowUpConfig;
  caseUrl: string;
  trace: JobTrace;
}

function caseWebhookData(followUpCase: ManagedCase, caseUrl: string) {
  return {
    caseId: followUpCase.caseId,
    feedbackId: followUpCase.feedbackId,
    ...(followUpCase.surveyId ? { surveyId: followUpCase.surveyId } : {}),
    status: followUpCase.status,
    reason: followUpCase.reason,
    priority: followUpCase.priority,
    ...(followUpCase.owner ? { owner: followUpCase.owner } : {}),
    openedAt: followUpCase.openedAt,
    dueAt: followUpCase.dueAt,
    reopenCount: followUpCase.reopenCount,
    url: caseUrl,
  };
}

/**
 * A case was opened (or reopened): a Slack message to its owner's target (the default target when the owner has
 * none), and `case.opened` to the default webhook when the config asks for case webhooks. One job per SLA period, so
 * a reopened case is announced again.
 */
export function caseOpenedJobs(
  followUpCase: ManagedCase,
  { config, caseUrl, trace }: CaseJobContext,
): OutboundJobInput[] {
  const period = followUpCase.reopenCount;
  const about = { caseId: followUpCase.caseId, feedbackId: followUpCase.feedbackId, ...traceOf(trace) };
  const target = slackTargetOf(config, followUpCase.owner);
  const jobs: OutboundJobInput[] = [
    {
      jobId: deterministicJobId('case_opened', followUpCase.caseId, period),
      purpose: 'case_opened',
      channel: 'slack',
      ...about,
      ...(target ? { target } : {}),
      message: renderSlackCaseMessage(followUpCase, { kind: 'opened', caseUrl, locale: config.locale }),
    },
  ];
  if (config.caseWebhooks) {
    jobs.push({
      jobId: deterministicJobId('case_opened_webhook', followUpCase.caseId, period),
      purpose: 'case_opened',
      channel: 'webhook',
      ...about,
      type: 'case.opened',
      data: { ...caseWebhookData(followUpCase, caseUrl), reopened: period > 0 },
    });
  }
  return jobs;
}

/**
 * A case was escalated: a Slack message to the step's Slack target, else the (new) owner's, else the default; the
 * step's webhook endpoint when the step names the webhook channel; and `case.escalated` to the default webhook when
 * the config asks for case webhooks. `followUpCase` is the case after the escalation was applied.
 */
export function caseEscalatedJobs(
  followUpCase: ManagedCase,
  escalation: CaseEscalation,
  { config, caseUrl, trace }: CaseJobContext,
): OutboundJobInput[] {
  const { to } = escalation;
  const about = { caseId: followUpCase.caseId, feedbackId: followUpCase.feedbackId, ...traceOf(trace) };
  const stepSlackTarget = 'channel' in to && to.channel === 'slack' ? to.target : undefined;
  const target = stepSlackTarget ?? slackTargetOf(config, followUpCase.owner);
  const data = { ...caseWebhookData(followUpCase, caseUrl), level: escalation.level, to, escalatedAt: escalation.at };
  const jobs: OutboundJobInput[] = [
    {
      jobId: deterministicJobId('case_escalated', followUpCase.caseId, escalation.level, escalation.at),
      purpose: 'case_escalated',
      channel: 'slack',
      ...about,
      ...(target ? { target } : {}),
      message: renderSlackCaseMessage(followUpCase, { kind: 'escalated', caseUrl, locale: config.locale }),
    },
  ];
  if ('channel' in to && to.channel === 'webhook') {
    jobs.push({
      jobId: deterministicJobId('case_escalated_step', followUpCase.caseId, escalation.level, escalation.at),
      purpose: 'case_escalated',
      channel: 'webhook',
      ...about,
      ...(to.target ? { target: to.target } : {}),
      type: 'case.escalated',
      data,
    });
  }
  if (config.caseWebhooks) {
    jobs.push({
      jobId: deterministicJobId('case_escalated_webhook', followUpCase.caseId, escalation.level, escalation.at),
      purpose: 'case_escalated',
      channel: 'webhook',
      ...about,
      type: 'case.escalated',
      data,
    });
  }
  return jobs;
}

const feedbackCopy = {
  en: { title: 'Feedback', score: 'Score', topics: 'Topics', sentiment: 'Sentiment', source: 'Source' },
  ru: { title: 'Отзыв', score: 'Оценка', topics: 'Темы', sentiment: 'Тональность', source: 'Источник' },
} as const;

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** An internal Slack message about a piece of feedback (rule `notify` / `send_message` to Slack). */
export function renderSlackFeedbackMessage(
  { feedback, categorisation }: CategorisedFeedback,
  locale: MessageLocale,
  caseUrl?: string,
): SlackMessage {
  const copy = feedbackCopy[locale];
  const category = scoreCategoryOf(feedback);
  const score = feedback.score
    ? `${feedback.kind.toUpperCase()} ${feedback.score.value}${category ? ` (${category})` : ''}`
    : feedback.kind;
  const title = `${copy.title}: ${score}`;
  const details = [
    `*${copy.sentiment}:* ${categorisation.sentiment.label}`,
    ...(categorisation.topics.length > 0
      ? [`*${copy.topics}:* ${escapeSlack(categorisation.topics.map((topic) => topic.id).join(', '))}`]
      : []),
    `*${copy.source}:* ${escapeSlack(`${feedback.source} / ${feedback.channel}`)}`,
  ].join('  ·  ');
  const quote = feedback.text ? `>${escapeSlack(truncate(feedback.text, 500)).replaceAll('\n', '\n>')}` : '';
  return {
    text: escapeSlack(title) + (caseUrl ? ` <${caseUrl}>` : ''),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(title)}*` } },
      ...(quote ? [{ type: 'section', text: { type: 'mrkdwn', text: quote } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: details }] },
    ],
  };
}

function feedbackWebhookData({ feedback, categorisation }: CategorisedFeedback) {
  return {
    feedbackId: feedback.feedbackId,
    revision: feedback.revision,
    ...(feedback.surveyId ? { surveyId: feedback.surveyId } : {}),
    kind: feedback.kind,
    ...(feedback.score ? { score: feedback.score.value } : {}),
    ...(feedback.text ? { text: feedback.text } : {}),
    source: feedback.source,
    channel: feedback.channel,
    sentiment: categorisation.sentiment.label,
    topics: categorisation.topics.map((topic) => topic.id),
    intents: categorisation.intents.map((intent) => intent.id),
    churnRisk: categorisation.churnRisk.score,
    occurredAt: feedback.occurredAt,
  };
}

const purposePattern = /^[a-z][a-z0-9_]{0,63}$/;

export type RuleMessagePlan = { job: OutboundJobInput } | { skipped: string };

/**
 * The outbound job a rule's message action plans for a piece of feedback, or why there is none (no address to send
 * to). Customer e-mails go in the respondent's language and carry their person key, so the sender can honour
 * unsubscribes; internal notifications (Slack, webhooks) carry no person key. A thank-you to a proven person with no
 * proven address goes by SMS when their profile has a phone number (`context.phone`).
 */
export function ruleMessageJob(
  action: Exclude<PlannedAction, { type: 'open_case' }>,
  input: CategorisedFeedback,
  context: { config: FollowUpConfig; caseUrl: string; trace: JobTrace; phone?: string },
): RuleMessagePlan {
  const { feedback } = input;
  const { config, trace } = context;
  const base = { jobId: idempotencyKey(action, feedback), feedbackId: feedback.feedbackId, ...traceOf(trace) };
  const personKey = personKeyOf(feedback.respondent);
  // Only a proven address is ever written to: anyone can type someone else's into a widget.
  const { email } = provenContactOf(feedback.respondent);
  const customer = {
    ...(personKey ? { personKey } : {}),
    locale: messageLocaleOf(feedback.respondent.locale),
  };
  switch (action.type) {
    case 'invite_review': {
      const phone = personKey ? context.phone : undefined;
      if (!email && !phone) return { skipped: 'no proven e-mail address' };
      const reviewUrl = action.reviewUrl ?? config.reviewUrl;
      // Without a review link the invitation shrinks to a plain thank-you rather than a broken link.
      return {
        job: {
          ...base,
          purpose: reviewUrl ? 'review_invitation' : 'thank_you',
          ...(email ? { channel: 'email' as const, to: email } : { channel: 'sms' as const, to: phone as string }),
          ...customer,
          template: reviewUrl ? action.template : 'thank_you',
          variables: reviewUrl ? { reviewUrl } : {},
        },
      };
    }
    case 'send_message':
      switch (action.channel) {
        case 'email':
          if (!email) return { skipped: 'no proven e-mail address' };
          return {
            job: {
              ...base,
              purpose: purposePattern.test(action.template) ? action.template : 'rule_message',
              channel: 'email',
              to: email,
              ...customer,
              template: action.template,
              variables: {},
            },
          };
        case 'slack':
          return {
            job: {
              ...base,
              purpose: 'feedback_notification',
              channel: 'slack',
              message: renderSlackFeedbackMessage(input, config.locale),
            },
          };
        case 'webhook':
          return {
            job: {
              ...base,
              purpose: 'feedback_notification',
              channel: 'webhook',
              type: 'feedback.follow_up',
              data: { ...feedbackWebhookData(input), template: action.template },
            },
          };
        case 'zendesk': {
          const caseId = caseIdOf(feedback.feedbackId);
          return {
            job: {
              ...base,
              purpose: 'helpdesk_ticket',
              channel: 'zendesk',
              caseId,
              ticket: renderZendeskTicket(
                {
                  caseId,
                  reason: action.template,
                  priority: 'normal',
                  ...(feedback.score ? { score: feedback.score.value } : {}),
                  ...(feedback.text ? { text: feedback.text } : {}),
                },
                {
                  caseUrl: context.caseUrl,
                  locale: config.locale,
                  ...(email ? { requesterEmail: email } : {}),
                },
              ),
            },
          };
        }
      }
      break;
    case 'notify':
      switch (action.channel) {
        case 'slack':
          return {
            job: {
              ...base,
              purpose: 'feedback_notification',
              channel: 'slack',
              ...(action.target ? { target: action.target } : {}),
              message: renderSlackFeedbackMessage(input, config.locale),
            },
          };
        case 'webhook':
          return {
            job: {
              ...base,
              purpose: 'feedback_notification',
              channel: 'webhook',
              ...(action.target ? { target: action.target } : {}),
              type: 'feedback.notify',
              data: feedbackWebhookData(input),
            },
          };
        case 'email':
          // No internal e-mail template exists yet, and a job with a customer template would mislead the team.
          return { skipped: 'internal e-mail notifications have no template yet' };
      }
  }
  return { skipped: 'unsupported action' };
}

const alertCopy = {
  en: {
    title: 'Metric alert',
    dropped: 'dropped',
    rose: 'rose',
    by: 'by',
    survey: 'Survey',
    segment: 'Segment',
    window: 'Window',
    previous: 'previous',
    rest: 'rest of the survey',
    drivers: 'Costs most points now',
    points: 'pts',
    tests: 'tests',
  },
  ru: {
    title: 'Оповещение о метрике',
    dropped: 'снизился',
    rose: 'вырос',
    by: 'на',
    survey: 'Опрос',
    segment: 'Сегмент',
    window: 'Период',
    previous: 'предыдущий',
    rest: 'остальной опрос',
    drivers: 'Больше всего баллов теряем на',
    points: 'б.',
    tests: 'проверок',
  },
} as const;

const metricLabels = {
  nps: 'NPS',
  topTwoBoxPercent: 'CSAT top-2-box %',
  meanScore: 'CES',
  responsesPerDay: 'answers a day',
} as const;

const figure = (value: number | null) => (value === null ? '—' : String(Math.round(value * 10) / 10));

export function renderSlackMetricAlert(
  alert: EventData<typeof MetricAlertRaised>,
  locale: MessageLocale,
): SlackMessage {
  const copy = alertCopy[locale];
  const direction = alert.delta < 0 ? copy.dropped : copy.rose;
  const title = `${copy.title}: ${metricLabels[alert.metric]} ${direction} ${copy.by} ${figure(Math.abs(alert.delta))} (${figure(alert.previous.value)} → ${figure(alert.current.value)})`;
  const details = [
    `*${copy.survey}:* ${escapeSlack(alert.surveyId)}`,
    ...(alert.segment
      ? [`*${copy.segment}:* ${escapeSlack(`${alert.segment.dimension} = ${alert.segment.value}`)}`]
      : []),
    `*${copy.window}:* ${alert.current.from}…${alert.current.to} (n ${alert.current.n}), ${
      alert.kind === 'below_rest' ? copy.rest : `${copy.previous} ${alert.previous.from}…${alert.previous.to}`
    } (n ${alert.previous.n})`,
    `p = ${alert.pValue.toPrecision(2)}`,
    ...(alert.qValue === undefined
      ? []
      : [`q = ${alert.qValue.toPrecision(2)}${alert.tested ? ` (${alert.tested} ${copy.tests})` : ''}`]),
    ...(alert.drivers?.length
      ? [
          `*${copy.drivers}:* ${alert.drivers
            .map(
              (driver) =>
                `${escapeSlack(driver.id)}${driver.change === null ? '' : ` (${driver.change > 0 ? '+' : ''}${figure(driver.change)} ${copy.points})`}`,
            )
            .join(', ')}`,
        ]
      : []),
  ].join('  ·  ');
  return {
    text: escapeSlack(title),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(title)}*` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: details }] },
    ],
  };
}

/** A metric alert: a Slack message to the alert target (the default when none), and `metric.alert` when configured. */
export function metricAlertJobs(
  alert: EventData<typeof MetricAlertRaised>,
  config: FollowUpConfig,
  trace: JobTrace,
): OutboundJobInput[] {
  const jobs: OutboundJobInput[] = [
    {
      jobId: deterministicJobId('metric_alert', alert.alertId),
      purpose: 'metric_alert',
      channel: 'slack',
      ...traceOf(trace),
      ...(config.alertSlackTarget ? { target: config.alertSlackTarget } : {}),
      message: renderSlackMetricAlert(alert, config.locale),
    },
  ];
  if (config.alertWebhooks) {
    jobs.push({
      jobId: deterministicJobId('metric_alert_webhook', alert.alertId),
      purpose: 'metric_alert',
      channel: 'webhook',
      ...traceOf(trace),
      type: 'metric.alert',
      data: { ...alert },
    });
  }
  return jobs;
}
