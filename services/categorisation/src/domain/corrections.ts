import { type Categorisation, intentSchema, sentimentLabels } from '@cxloop/events';
import * as z from 'zod';

/**
 * A person's correction of one feedback's labels. Only what is given is changed; everything else stays as the
 * categoriser said. Stored by the categorisation service and used three ways: as an override when that feedback is
 * (re-)categorised, as evaluation data, and as training data for the per-deployment model (see learner.ts).
 */
const topicIdSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/);

export const correctionSchema = z.object({
  feedbackId: z.string().min(1),
  sentiment: z.enum(sentimentLabels).optional(),
  topics: z
    .object({ add: z.array(topicIdSchema).max(50).default([]), remove: z.array(topicIdSchema).max(50).default([]) })
    .optional(),
  intents: z.object({ add: z.array(intentSchema).default([]), remove: z.array(intentSchema).default([]) }).optional(),
  churnRisk: z.number().min(0).max(1).optional(),
  urgency: z.enum(['low', 'normal', 'high']).optional(),
  correctedBy: z.string().min(1).max(200).optional(),
  correctedAt: z.iso.datetime({ offset: true }).optional(),
  note: z.string().max(1_000).optional(),
});
export type Correction = z.infer<typeof correctionSchema>;
export type CorrectionInput = z.input<typeof correctionSchema>;

/** The body of `PUT /v1/feedback/{feedbackId}/categorisation`: the feedback comes from the path. */
export const correctionBodySchema = correctionSchema.omit({ feedbackId: true });
export type CorrectionBody = z.output<typeof correctionBodySchema>;

/** Magnitude given to a sentiment score whose label a person set against the categoriser. */
const CORRECTED_SCORE = 0.5;

function correctedScore(label: Categorisation['sentiment']['label'], score: number): number {
  if (label === 'neutral') return 0;
  const magnitude = Math.max(Math.abs(score), CORRECTED_SCORE);
  return label === 'positive' ? magnitude : -magnitude;
}

function applyAddRemove<Item extends { id: string; score: number; evidence: unknown[] }>(
  items: readonly Item[],
  change: { add: readonly string[]; remove: readonly string[] } | undefined,
  make: (id: string) => Item,
): Item[] {
  if (!change) return [...items];
  const kept = items.filter((item) => !change.remove.includes(item.id));
  for (const id of change.add) {
    const index = kept.findIndex((item) => item.id === id);
    if (index === -1) kept.unshift(make(id));
    else kept[index] = { ...kept[index]!, score: 1 };
  }
  return kept;
}

/** The categorisation with the person's labels put over the categoriser's; marked `corrected`. */
export function applyCorrection(categorisation: Categorisation, correction: Correction): Categorisation {
  const sentiment = correction.sentiment
    ? { label: correction.sentiment, score: correctedScore(correction.sentiment, categorisation.sentiment.score) }
    : categorisation.sentiment;
  return {
    ...categorisation,
    sentiment,
    topics: applyAddRemove(categorisation.topics, correction.topics, (id) => ({ id, score: 1, evidence: [] })),
    intents: applyAddRemove(categorisation.intents, correction.intents, (id) => ({
      id: intentSchema.parse(id),
      score: 1,
      evidence: [],
    })),
    churnRisk:
      correction.churnRisk === undefined
        ? categorisation.churnRisk
        : { score: correction.churnRisk, evidence: categorisation.churnRisk.evidence },
    urgency: correction.urgency ?? categorisation.urgency,
    corrected: true,
  };
}
