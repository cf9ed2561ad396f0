import * as z from 'zod';

/** Pieces of the normalised feedback model shared by the events that carry a piece of feedback. */

export const feedbackSources = [
  'widget',
  'link',
  'email',
  'sms',
  'api',
  'zendesk',
  'freshdesk',
  'intercom',
  'helpscout',
  'trustpilot',
  'typeform',
  'delighted',
  'surveymonkey',
  'google_play',
  'app_store',
  'google_business_profile',
] as const;
export const feedbackSourceSchema = z.enum(feedbackSources);
export type FeedbackSource = z.infer<typeof feedbackSourceSchema>;

export const feedbackKinds = ['nps', 'csat', 'ces', 'rating', 'review', 'text'] as const;
export const feedbackKindSchema = z.enum(feedbackKinds);
export type FeedbackKind = z.infer<typeof feedbackKindSchema>;

export const scoreSchema = z
  .object({
    value: z.number().describe('The score on its own scale'),
    min: z.number().describe('Lowest value of the scale (NPS 0, CSAT 1, CES 1, stars 1)'),
    max: z.number().describe('Highest value of the scale (NPS 10, CSAT 5, CES 7, stars 5)'),
    normalised: z.number().min(0).max(1).describe('(value - min) / (max - min)'),
    original: z
      .union([z.string(), z.number()])
      .optional()
      .describe("The provider's own value when it was not a number on this scale (e.g. 'Great', 'FIVE', 'good')"),
  })
  .refine((score) => score.min < score.max && score.value >= score.min && score.value <= score.max, {
    message: 'value must lie within [min, max] and min < max',
    path: ['value'],
  });
export type Score = z.infer<typeof scoreSchema>;

export const attributeValueSchema = z.union([z.string().max(500), z.number(), z.boolean()]);
export const customerAttributesSchema = z.record(z.string().min(1).max(64), attributeValueSchema);

/** The segment value of an answer without one (no such attribute, no topic). */
export const NONE_SEGMENT_VALUE = '(none)';
const SEGMENT_VALUE_LENGTH = 64;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const controlCharacters = /[\u0000-\u001f\u007f]/g;

/**
 * An attribute or dimension value as a segment names it (aggregation counts under it, `MetricAlertRaised` carries
 * it, follow-up matches answers by it): text without control characters, at most 64 characters, `(none)` when empty.
 */
export function segmentValueOf(value: string | number | boolean | undefined): string {
  if (value === undefined) return NONE_SEGMENT_VALUE;
  const text = [...String(value).replace(controlCharacters, ' ').trim()].slice(0, SEGMENT_VALUE_LENGTH).join('');
  return text === '' ? NONE_SEGMENT_VALUE : text;
}

export const answerSchema = z.object({
  questionId: z.string().min(1),
  type: z.enum(['text', 'single_choice', 'multiple_choice', 'number']),
  value: z.union([z.string(), z.number(), z.array(z.string())]),
});

export const respondentSchema = z
  .object({
    id: z.string().min(1).max(200).optional().describe('User id verified by the host site, or the provider id'),
    anonymousId: z.string().min(1).max(200).optional().describe('Browser/device id set by the widget'),
    email: z.email().optional().describe('Only where a later step needs it (follow-up messaging); never logged'),
    locale: z.string().min(2).max(35).optional(),
    verified: z.boolean().default(false).describe('true when `id` was proven (signed by the host or a provider)'),
    emailVerified: z
      .boolean()
      .default(false)
      .describe(
        'true when `email` was proven (signed by the host, carried by a cxloop invitation, or given by a verified provider); an unproven address is a claim: shown, never mailed',
      ),
  })
  .describe('Who answered; as little as the loop needs');

export const feedbackSchema = z.object({
  feedbackId: z.string().min(1).describe('cxloop id of the piece of feedback (stable across its revisions)'),
  revision: z
    .number()
    .int()
    .positive()
    .describe('Increases with every change of the feedback; consumers apply each revision once, in order'),
  surveyId: z.string().min(1).optional(),
  timeZone: z.string().min(1).max(64).optional().describe('IANA time zone of the survey, for bucketing metrics by day'),
  integrationId: z.string().min(1).optional(),
  source: feedbackSourceSchema,
  channel: z.string().min(1).max(40).describe('web, in_app, email, sms, helpdesk, review_site, survey_tool, api'),
  kind: feedbackKindSchema,
  score: scoreSchema.optional(),
  text: z.string().max(20_000).optional(),
  answers: z.array(answerSchema).default([]),
  languageHint: z.string().min(2).max(35).optional(),
  respondent: respondentSchema.default({ verified: false, emailVerified: false }),
  attributes: customerAttributesSchema.default({}).describe('Customer attributes and context (plan, region, page…)'),
  externalIds: z.record(z.string(), z.string()).default({}).describe('Ids in the source system (ticket, review…)'),
  links: z.array(z.object({ rel: z.string(), url: z.url() })).default([]),
  occurredAt: z.iso.datetime({ offset: true }).describe('When the customer gave the feedback'),
  receivedAt: z.iso.datetime({ offset: true }).describe('When cxloop received it'),
  historical: z
    .boolean()
    .optional()
    .describe(
      "true for an answer imported from another system's history (`occurredAt` in the past): categorised and counted like any other, never followed up (no case, message or re-survey)",
    ),
  retainUntil: z
    .object({
      text: z.iso.datetime({ offset: true }).describe('Comment, answers and attributes end here'),
      contact: z.iso.datetime({ offset: true }).describe("The respondent's ids and contact details end here"),
    })
    .optional()
    .describe(
      "End of life of the feedback's personal data under the retention policy when it was received; every service that keeps a copy expires it by then",
    ),
});
export type Feedback = z.infer<typeof feedbackSchema>;
