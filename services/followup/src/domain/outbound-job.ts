import * as z from 'zod';
import { E164 } from './sms';

/**
 * One message to deliver, as it travels on the follow-up service's outbound queue (SQS, internal to the service):
 * producers (the feedback consumer, the SLA timer, invitations, metric alerts) enqueue jobs; the sender delivers each
 * exactly once per `jobId`, checks suppressions for jobs addressed to a person, and records the outcome.
 */
const jobBase = {
  jobId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/)
    .describe('Idempotency key: a job with an id that was already sent is never sent again'),
  purpose: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/)
    .describe('case_opened, case_escalated, thank_you, review_invitation, survey_invitation, resurvey, metric_alert…'),
  caseId: z.string().min(1).optional(),
  feedbackId: z.string().min(1).optional(),
  invitationId: z.string().min(1).optional(),
  personKey: z
    .string()
    .min(1)
    .optional()
    .describe('The person the message is about or addressed to; suppressed people get nothing'),
  correlationId: z.string().min(1).optional(),
  causationId: z.string().min(1).optional(),
};

export const emailJobSchema = z.object({
  ...jobBase,
  channel: z.literal('email'),
  to: z.email(),
  locale: z.enum(['ru', 'en']),
  template: z.string().min(1),
  variables: z
    .object({ reviewUrl: z.url().optional(), surveyUrl: z.url().optional() })
    .default({})
    .describe('Links the template shows; the sender adds the unsubscribe link itself'),
});

export const slackJobSchema = z.object({
  ...jobBase,
  channel: z.literal('slack'),
  target: z
    .string()
    .min(1)
    .optional()
    .describe('Named Slack incoming webhook in the channel settings; default when absent'),
  message: z.object({ text: z.string().min(1), blocks: z.array(z.unknown()).default([]) }),
});

export const webhookJobSchema = z.object({
  ...jobBase,
  channel: z.literal('webhook'),
  target: z.string().min(1).optional().describe('Named endpoint in the channel settings; default when absent'),
  type: z
    .string()
    .regex(/^[a-z][a-z0-9_.]{0,99}$/)
    .describe('Standard Webhooks event type, e.g. case.opened'),
  data: z.record(z.string(), z.unknown()),
});

export const zendeskJobSchema = z.object({
  ...jobBase,
  channel: z.literal('zendesk'),
  ticket: z.record(z.string(), z.unknown()).describe('The create-ticket request body (renderZendeskTicket)'),
});

export const smsJobSchema = z.object({
  ...jobBase,
  channel: z.literal('sms'),
  to: z.string().regex(E164).describe('E.164, validated where the number came in'),
  locale: z.enum(['ru', 'en']),
  template: z.string().min(1),
  variables: z
    .object({ reviewUrl: z.url().optional(), surveyUrl: z.url().optional() })
    .default({})
    .describe("Links the text shows (an invitation's is its short survey link)"),
});

export const outboundJobSchema = z.discriminatedUnion('channel', [
  emailJobSchema,
  slackJobSchema,
  webhookJobSchema,
  zendeskJobSchema,
  smsJobSchema,
]);
export type OutboundJob = z.infer<typeof outboundJobSchema>;
export type OutboundJobInput = z.input<typeof outboundJobSchema>;
