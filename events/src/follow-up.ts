import * as z from 'zod';
import { defineEvent, EventSources } from './contract';
import { respondentSchema } from './feedback';

export const caseStatuses = ['open', 'acknowledged', 'contacted', 'resolved', 'closed'] as const;
export const messageChannelNames = ['email', 'slack', 'webhook', 'zendesk', 'sms'] as const;

const isoTime = () => z.iso.datetime({ offset: true });
const casePriority = z.enum(['low', 'normal', 'high']);

export const CaseOpened = defineEvent({
  source: EventSources.followUp,
  detailType: 'CaseOpened',
  version: 1,
  description: 'A follow-up case was opened for a piece of feedback (e.g. a detractor) and assigned an owner.',
  consumers: [],
  data: z.object({
    caseId: z.string().min(1),
    feedbackId: z.string().min(1),
    surveyId: z.string().min(1).optional(),
    reason: z.string().min(1).describe('Why the case was opened (the rule that fired)'),
    owner: z.string().min(1).optional(),
    priority: casePriority,
    dueAt: isoTime().optional().describe('First-contact SLA deadline'),
    openedAt: isoTime(),
    ruleId: z.string().min(1).optional().describe('The rule whose open_case action opened it'),
    reopened: z.boolean().optional().describe('true when new negative feedback reopened an earlier case'),
  }),
  example: {
    caseId: 'case_01JD8X9Z8Y7X6W5V4T3S2R1Q0P',
    feedbackId: 'fb_01JD8X4Q2V6N3M5K7P9R1T3W5Y',
    surveyId: 'srv_01JD8X1A2B3C4D5E6F7G8H9J0K',
    reason: 'detractor',
    owner: 'cx-team',
    priority: 'high',
    dueAt: '2026-11-21T09:15:01.000Z',
    openedAt: '2026-11-20T09:15:01.000Z',
    ruleId: 'detractor-or-churn-risk',
  },
});

export const CaseEscalated = defineEvent({
  source: EventSources.followUp,
  detailType: 'CaseEscalated',
  version: 1,
  description: 'A case missed its first-contact SLA and was escalated (to a second owner or a channel).',
  consumers: [],
  data: z.object({
    caseId: z.string().min(1),
    feedbackId: z.string().min(1),
    level: z.number().int().positive().describe('1 for the first escalation of the case, then 2, …'),
    owner: z.string().min(1).optional().describe('The owner after the escalation'),
    to: z.union([
      z.object({ owner: z.string().min(1) }),
      z.object({ channel: z.enum(['slack', 'email', 'webhook']), target: z.string().min(1).optional() }),
    ]),
    dueAt: isoTime().describe('The deadline that was missed'),
    escalatedAt: isoTime(),
  }),
  example: {
    caseId: 'case_01JD8X9Z8Y7X6W5V4T3S2R1Q0P',
    feedbackId: 'fb_01JD8X4Q2V6N3M5K7P9R1T3W5Y',
    level: 1,
    owner: 'cx-team',
    to: { channel: 'slack', target: 'escalations' },
    dueAt: '2026-11-21T09:15:01.000Z',
    escalatedAt: '2026-11-21T09:15:04.000Z',
  },
});

export const CaseResolved = defineEvent({
  source: EventSources.followUp,
  detailType: 'CaseResolved',
  version: 1,
  description:
    'A case was resolved or closed. Carries how to reach the customer when a re-survey (CSAT on the resolution) is configured.',
  consumers: ['followup'],
  data: z.object({
    caseId: z.string().min(1),
    feedbackId: z.string().min(1),
    surveyId: z.string().min(1).optional(),
    status: z.enum(['resolved', 'closed']),
    owner: z.string().min(1).optional(),
    openedAt: isoTime(),
    firstContactAt: isoTime().optional(),
    resolvedAt: isoTime(),
    respondent: respondentSchema.pick({ id: true, email: true, locale: true }).optional(),
    resurveySurveyId: z.string().min(1).optional().describe('The survey to send about the resolution, if any'),
  }),
  example: {
    caseId: 'case_01JD8X9Z8Y7X6W5V4T3S2R1Q0P',
    feedbackId: 'fb_01JD8X4Q2V6N3M5K7P9R1T3W5Y',
    surveyId: 'srv_01JD8X1A2B3C4D5E6F7G8H9J0K',
    status: 'resolved',
    owner: 'cx-team',
    openedAt: '2026-11-20T09:15:01.000Z',
    firstContactAt: '2026-11-20T13:02:00.000Z',
    resolvedAt: '2026-11-21T10:40:00.000Z',
    respondent: { email: 'anna@example.com', locale: 'ru-RU' },
    resurveySurveyId: 'srv_01JD8XRESOLUTIONCSAT0000000',
  },
});

export const FollowUpRequested = defineEvent({
  source: EventSources.followUp,
  detailType: 'FollowUpRequested',
  version: 1,
  description: 'The follow-up rules matched a piece of categorised feedback and planned these actions.',
  consumers: [],
  data: z.object({
    feedbackId: z.string().min(1),
    revision: z.number().int().positive(),
    ruleSetVersion: z.number().int().positive(),
    matchedRuleIds: z.array(z.string().min(1)).min(1),
    actions: z.array(
      z.object({
        type: z.enum(['open_case', 'send_message', 'invite_review', 'notify']),
        ruleId: z.string().min(1),
        channel: z.enum(messageChannelNames).optional(),
        template: z.string().min(1).optional(),
      }),
    ),
    requestedAt: isoTime(),
  }),
  example: {
    feedbackId: 'fb_01JD8X4Q2V6N3M5K7P9R1T3W5Y',
    revision: 1,
    ruleSetVersion: 3,
    matchedRuleIds: ['detractor-or-churn-risk'],
    actions: [{ type: 'open_case', ruleId: 'detractor-or-churn-risk' }],
    requestedAt: '2026-11-20T09:15:01.000Z',
  },
});

export const MessageSent = defineEvent({
  source: EventSources.followUp,
  detailType: 'MessageSent',
  version: 1,
  description: 'An outbound message (email, Slack, webhook, helpdesk ticket) was delivered to its channel once.',
  consumers: [],
  data: z.object({
    messageId: z.string().min(1).describe('The idempotency key of the send'),
    channel: z.enum(messageChannelNames),
    purpose: z.string().min(1).describe('case_opened, case_escalated, thank_you, survey_invitation, …'),
    caseId: z.string().min(1).optional(),
    feedbackId: z.string().min(1).optional(),
    invitationId: z.string().min(1).optional(),
    attempts: z.number().int().positive(),
    sentAt: isoTime(),
  }),
  example: {
    messageId: 'msg_Qm9yZWFsaXN0aWNJZGVtcG90ZW5jeUtl',
    channel: 'slack',
    purpose: 'case_opened',
    caseId: 'case_01JD8X9Z8Y7X6W5V4T3S2R1Q0P',
    feedbackId: 'fb_01JD8X4Q2V6N3M5K7P9R1T3W5Y',
    attempts: 1,
    sentAt: '2026-11-20T09:15:02.000Z',
  },
});
