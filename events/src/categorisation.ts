import * as z from 'zod';
import { defineEvent, EventSources } from './contract';
import { feedbackSchema } from './feedback';

export const evidenceSchema = z.object({
  start: z.number().int().nonnegative().describe('UTF-16 offset of the first character in the feedback text'),
  end: z.number().int().nonnegative().describe('UTF-16 offset one past the last character'),
  text: z.string().describe('The matched span, as in the text'),
  rule: z.string().optional().describe('Which keyword, phrase or pattern matched'),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const sentimentLabels = ['positive', 'neutral', 'negative'] as const;
export const sentimentSchema = z.object({
  label: z.enum(sentimentLabels),
  score: z.number().min(-1).max(1),
});

export const intentLabels = ['complaint', 'praise', 'idea', 'question'] as const;
export const intentSchema = z.enum(intentLabels);

export const categorisationSchema = z.object({
  categoriserVersion: z.string().min(1).describe('Version of the categoriser code and lexicons'),
  taxonomyVersion: z.number().int().nonnegative().describe('Version of the taxonomy the topics come from'),
  language: z.string().min(2).max(8).describe("ISO 639-1 code, or 'und' when unknown"),
  sentiment: sentimentSchema,
  sentences: z
    .array(z.object({ start: z.number().int(), end: z.number().int(), sentiment: sentimentSchema }))
    .default([]),
  topics: z
    .array(z.object({ id: z.string().min(1), score: z.number().min(0).max(1), evidence: z.array(evidenceSchema) }))
    .default([]),
  intents: z
    .array(z.object({ id: intentSchema, score: z.number().min(0).max(1), evidence: z.array(evidenceSchema) }))
    .default([]),
  churnRisk: z.object({ score: z.number().min(0).max(1), evidence: z.array(evidenceSchema) }),
  urgency: z.enum(['low', 'normal', 'high']).default('normal'),
  consistent: z
    .boolean()
    .default(true)
    .describe('false when the score and the text disagree (e.g. NPS 10 with an angry comment)'),
  corrected: z.boolean().default(false).describe('true when a person corrected these labels'),
});
export type Categorisation = z.infer<typeof categorisationSchema>;

export const FeedbackCategorised = defineEvent({
  source: EventSources.categorisation,
  detailType: 'FeedbackCategorised',
  version: 1,
  description:
    'A revision of a piece of feedback was categorised (or re-categorised after a taxonomy change or a correction). Carries the feedback itself so consumers need no other lookup.',
  consumers: ['aggregation', 'followup'],
  data: z.object({
    feedback: feedbackSchema,
    categorisation: categorisationSchema,
  }),
  example: {
    feedback: {
      feedbackId: 'fb_01JD8X4Q2V6N3M5K7P9R1T3W5Y',
      revision: 1,
      surveyId: 'srv_01JD8X1A2B3C4D5E6F7G8H9J0K',
      source: 'widget',
      channel: 'web',
      kind: 'nps',
      score: { value: 3, min: 0, max: 10, normalised: 0.3 },
      text: 'Доставка опоздала на три дня, поддержка не отвечает.',
      languageHint: 'ru',
      respondent: { anonymousId: 'anon_7f3a', locale: 'ru-RU', verified: false },
      attributes: { plan: 'pro', region: 'eu' },
      occurredAt: '2026-11-20T09:15:00.000Z',
      receivedAt: '2026-11-20T09:15:00.412Z',
    },
    categorisation: {
      categoriserVersion: '1.0.0',
      taxonomyVersion: 1,
      language: 'ru',
      sentiment: { label: 'negative', score: -0.72 },
      topics: [{ id: 'delivery', score: 0.9, evidence: [{ start: 0, end: 8, text: 'Доставка', rule: 'достав*' }] }],
      intents: [{ id: 'complaint', score: 0.8, evidence: [{ start: 9, end: 17, text: 'опоздала', rule: 'опозда*' }] }],
      churnRisk: { score: 0.1, evidence: [] },
      urgency: 'normal',
      consistent: true,
    },
  },
});
