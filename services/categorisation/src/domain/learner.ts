import { type Categorisation, type Evidence, intentSchema, sentimentLabels } from '@cxloop/events';
import * as z from 'zod';
import type { Analysis } from './analysis';
import { applyCorrection } from './corrections';
import { labelOf, NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD } from './sentiment';
import { stem } from './stemming';
import { round } from './topics';

/**
 * The per-deployment model learned from corrections. It does not replace the rules: it learns how far to move away
 * from them. For sentiment, a multinomial logistic regression whose prior logits come from the rule-based score; for
 * each corrected topic, a binary logistic regression whose prior logit says whether the rules matched it. With no
 * corrections every weight is 0 and the output is exactly the rules' output. A memory of corrected texts gives an
 * exactly repeated text its corrected labels back.
 */
export const MODEL_FORMAT = 'cxloop-correction-model@1';

const labelSchema = z.enum(sentimentLabels);
const vector3 = z.tuple([z.number(), z.number(), z.number()]);
const addRemoveSchema = z.object({ add: z.array(z.string()), remove: z.array(z.string()) });

export const correctionModelSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  categoriserVersion: z.string().min(1),
  examples: z.number().int().nonnegative(),
  sentiment: z.object({ weights: z.record(z.string(), vector3) }).nullable(),
  topics: z.record(
    z.string(),
    z.object({
      /** Learned change of the prior when the rules matched the topic: how far this deployment trusts them. */
      matchedShift: z.number(),
      weights: z.record(z.string(), z.number()),
    }),
  ),
  memory: z.record(
    z.string(),
    z.object({
      sentiment: labelSchema.optional(),
      topics: addRemoveSchema.optional(),
      intents: z.object({ add: z.array(intentSchema), remove: z.array(intentSchema) }).optional(),
    }),
  ),
});
export type CorrectionModel = z.infer<typeof correctionModelSchema>;
export type MemorisedLabels = CorrectionModel['memory'][string];

/** Slope of the prior logits around the polarity threshold: the rules' confidence. */
export const SENTIMENT_PRIOR_SLOPE = 16;
export const TOPIC_PRIOR_MATCHED = 2;
export const TOPIC_PRIOR_UNMATCHED = -2;

export function sentimentPriorLogits(score: number): [number, number, number] {
  return [
    SENTIMENT_PRIOR_SLOPE * (score - POSITIVE_THRESHOLD),
    0,
    SENTIMENT_PRIOR_SLOPE * (-score - NEGATIVE_THRESHOLD),
  ];
}

export interface FeatureOccurrence {
  readonly feature: string;
  readonly from: number;
  readonly to: number;
}

/** Features of a text: the language-tagged stems of its words, and its emoji and emoticons; each once. */
export function featuresOf(analysis: Analysis): FeatureOccurrence[] {
  const seen = new Map<string, FeatureOccurrence>();
  analysis.analysed.tokens.forEach((token, index) => {
    let feature: string | undefined;
    if (token.kind === 'word') {
      const language = analysis.languageOf(token);
      feature = `${language}:${stem(token.squeezed ?? token.norm, language)}`;
    } else if (token.kind === 'emoji' || token.kind === 'emoticon') feature = `e:${token.norm}`;
    if (feature !== undefined && !seen.has(feature)) seen.set(feature, { feature, from: index, to: index + 1 });
  });
  return [...seen.values()];
}

/** Feature value: 1/√n, so that long and short texts move the logits alike. */
export function featureValue(count: number): number {
  return count === 0 ? 0 : 1 / Math.sqrt(count);
}

/** A stable 53-bit hash (cyrb53) of the normalised words: the key of the memory of corrected texts. */
export function textKey(analysis: Analysis): string {
  const words = analysis.analysed.tokens
    .filter((token) => token.kind !== 'punct' && token.kind !== 'url' && token.kind !== 'mention')
    .map((token) => token.squeezed ?? token.norm)
    .join(' ');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < words.length; index++) {
    const code = words.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - max));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}

export function sigmoid(logit: number): number {
  return 1 / (1 + Math.exp(-logit));
}

function adjustSentiment(
  sentiment: Categorisation['sentiment'],
  features: readonly FeatureOccurrence[],
  model: NonNullable<CorrectionModel['sentiment']>,
): Categorisation['sentiment'] {
  const logits = sentimentPriorLogits(sentiment.score);
  const value = featureValue(features.length);
  for (const { feature } of features) {
    const weights = model.weights[feature];
    if (weights) for (let index = 0; index < 3; index++) logits[index]! += weights[index]! * value;
  }
  const probabilities = softmax(logits);
  const best = probabilities.indexOf(Math.max(...probabilities));
  const label = sentimentLabels[best]!;
  if (label === sentiment.label) return sentiment;
  const expected = probabilities[0]! - probabilities[2]!;
  let score: number;
  if (label === 'neutral') score = Math.max(-NEGATIVE_THRESHOLD + 0.01, Math.min(POSITIVE_THRESHOLD - 0.01, expected));
  else score = labelOf(expected) === label ? expected : label === 'positive' ? POSITIVE_THRESHOLD : -NEGATIVE_THRESHOLD;
  return { label, score: round(score) };
}

const MAX_LEARNED_EVIDENCE = 3;

function adjustTopics(
  categorisation: Categorisation,
  analysis: Analysis,
  features: readonly FeatureOccurrence[],
  topicModels: CorrectionModel['topics'],
): Categorisation['topics'] {
  const { text, tokens } = analysis.analysed;
  const value = featureValue(features.length);
  const topics = [...categorisation.topics];
  for (const [topicId, model] of Object.entries(topicModels)) {
    const index = topics.findIndex((topic) => topic.id === topicId);
    let logit = index === -1 ? TOPIC_PRIOR_UNMATCHED : TOPIC_PRIOR_MATCHED + model.matchedShift;
    const supporting: { occurrence: FeatureOccurrence; weight: number }[] = [];
    for (const occurrence of features) {
      const weight = model.weights[occurrence.feature];
      if (weight === undefined) continue;
      logit += weight * value;
      if (weight > 0) supporting.push({ occurrence, weight });
    }
    const probability = sigmoid(logit);
    if (probability < 0.5 && index !== -1) topics.splice(index, 1);
    else if (probability >= 0.5 && index === -1) {
      const evidence: Evidence[] = supporting
        .sort((a, b) => b.weight - a.weight)
        .slice(0, MAX_LEARNED_EVIDENCE)
        .map(({ occurrence }) => {
          const start = tokens[occurrence.from]!.start;
          const end = tokens[occurrence.to - 1]!.end;
          return { start, end, text: text.slice(start, end), rule: `learned:${occurrence.feature}` };
        })
        .sort((a, b) => a.start - b.start);
      topics.push({ id: topicId, score: round(probability), evidence });
    }
  }
  return topics.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/** The rule-based categorisation adjusted by the deployment's model; an exactly repeated corrected text is recalled. */
export function applyModel(categorisation: Categorisation, analysis: Analysis, model: CorrectionModel): Categorisation {
  const features = featuresOf(analysis);
  let adjusted: Categorisation = {
    ...categorisation,
    sentiment: model.sentiment
      ? adjustSentiment(categorisation.sentiment, features, model.sentiment)
      : categorisation.sentiment,
    topics: adjustTopics(categorisation, analysis, features, model.topics),
  };
  const remembered = model.memory[textKey(analysis)];
  if (remembered) {
    adjusted = { ...applyCorrection(adjusted, { feedbackId: 'memory', ...remembered }), corrected: adjusted.corrected };
  }
  return adjusted;
}
