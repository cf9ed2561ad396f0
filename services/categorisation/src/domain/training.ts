import { sentimentLabels } from '@cxloop/events';
import { analyse } from './analysis';
import { categorise } from './categorise';
import type { Correction } from './corrections';
import {
  type CorrectionModel,
  featuresOf,
  featureValue,
  type MemorisedLabels,
  MODEL_FORMAT,
  sentimentPriorLogits,
  sigmoid,
  softmax,
  TOPIC_PRIOR_MATCHED,
  TOPIC_PRIOR_UNMATCHED,
  textKey,
} from './learner';
import type { CompiledTaxonomy } from './taxonomy';
import { CATEGORISER_VERSION } from './version';

/** A stored correction with the text it corrected: one training example for the deployment's model. */
export interface TrainingExample {
  readonly text: string;
  readonly languageHint?: string;
  readonly correction: Correction;
}

export interface TrainingOptions {
  readonly epochs?: number;
  readonly learningRate?: number;
  /** L2 penalty pulling every weight back towards 0, i.e. towards the rules. */
  readonly l2?: number;
  readonly seed?: number;
}

/**
 * No sentiment bias: corrections are chosen by people (mostly the categoriser's mistakes), so a learned global shift
 * would move every text; only words seen in corrected texts move sentiment labels.
 */
const DEFAULTS = { epochs: 40, learningRate: 1, l2: 0.05, seed: 42 } as const;
/**
 * A topic's rules can be less precise in one deployment than in another ("app" in a bank's feedback): the model
 * learns, slowly, how far to trust a rule match of each corrected topic.
 */
const MATCHED_SHIFT_RATE = 0.2;
const WEIGHT_DIGITS = 1e4;

interface Prepared {
  readonly example: TrainingExample;
  readonly features: readonly string[];
  readonly value: number;
  readonly ruleScore: number;
  readonly ruleTopics: ReadonlySet<string>;
}

/** mulberry32: deterministic shuffles, so that the same corrections always give the same model. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/** Rounded for a small JSON; `|| 0` turns -0 into 0 so that the model survives a JSON round trip unchanged. */
function compact(value: number): number {
  return Math.round(value * WEIGHT_DIGITS) / WEIGHT_DIGITS || 0;
}

function trainSentiment(
  examples: readonly Prepared[],
  options: Required<TrainingOptions>,
): CorrectionModel['sentiment'] {
  const labelled = examples.filter((prepared) => prepared.example.correction.sentiment !== undefined);
  if (labelled.length === 0) return null;
  const weights = new Map<string, [number, number, number]>();
  const next = random(options.seed);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const rate = options.learningRate / (1 + epoch * 0.2);
    for (const prepared of shuffled(labelled, next)) {
      const target = sentimentLabels.indexOf(prepared.example.correction.sentiment!);
      const logits = sentimentPriorLogits(prepared.ruleScore);
      for (const feature of prepared.features) {
        const vector = weights.get(feature);
        if (vector) for (let index = 0; index < 3; index++) logits[index]! += vector[index]! * prepared.value;
      }
      const probabilities = softmax(logits);
      for (let index = 0; index < 3; index++) {
        const gradient = probabilities[index]! - (index === target ? 1 : 0);
        for (const feature of prepared.features) {
          let vector = weights.get(feature);
          if (!vector) {
            vector = [0, 0, 0];
            weights.set(feature, vector);
          }
          vector[index] = vector[index]! - rate * (gradient * prepared.value + options.l2 * vector[index]!);
        }
      }
    }
  }
  const kept: Record<string, [number, number, number]> = {};
  for (const [feature, vector] of weights) {
    if (vector.some((weight) => Math.abs(weight) >= 1e-3))
      kept[feature] = vector.map(compact) as [number, number, number];
  }
  return { weights: kept };
}

function trainTopic(
  topicId: string,
  examples: readonly Prepared[],
  options: Required<TrainingOptions>,
): CorrectionModel['topics'][string] {
  const weights = new Map<string, number>();
  let matchedShift = 0;
  const next = random(options.seed);
  const target = (prepared: Prepared) => {
    const change = prepared.example.correction.topics!;
    if (change.add.includes(topicId)) return 1;
    if (change.remove.includes(topicId)) return 0;
    return prepared.ruleTopics.has(topicId) ? 1 : 0;
  };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const rate = options.learningRate / (1 + epoch * 0.2);
    for (const prepared of shuffled(examples, next)) {
      const matched = prepared.ruleTopics.has(topicId);
      let logit = matched ? TOPIC_PRIOR_MATCHED + matchedShift : TOPIC_PRIOR_UNMATCHED;
      for (const feature of prepared.features) logit += (weights.get(feature) ?? 0) * prepared.value;
      const gradient = sigmoid(logit) - target(prepared);
      if (matched) matchedShift -= rate * MATCHED_SHIFT_RATE * (gradient + options.l2 * matchedShift);
      for (const feature of prepared.features) {
        const weight = weights.get(feature) ?? 0;
        weights.set(feature, weight - rate * (gradient * prepared.value + options.l2 * weight));
      }
    }
  }
  const kept: Record<string, number> = {};
  for (const [feature, weight] of weights) if (Math.abs(weight) >= 1e-3) kept[feature] = compact(weight);
  return { matchedShift: compact(matchedShift), weights: kept };
}

/** Trains the deployment's model from its stored corrections (deterministic for the same input). */
export function trainCorrectionModel(
  examples: readonly TrainingExample[],
  taxonomy: CompiledTaxonomy,
  options: TrainingOptions = {},
): CorrectionModel {
  const settings = { ...DEFAULTS, ...options };
  const memory: Record<string, MemorisedLabels> = {};
  const analysed = examples.map((example) => {
    const input = { text: example.text, languageHint: example.languageHint };
    const analysis = analyse(input);
    const rules = categorise(input, taxonomy);
    const { sentiment, topics, intents } = example.correction;
    // The memory keeps the whole corrected topic set, so that the learned weights cannot drop a topic the rules had.
    const correctedTopics = topics && {
      add: [
        ...new Set([
          ...rules.topics.map((topic) => topic.id).filter((id) => !topics.remove.includes(id)),
          ...topics.add,
        ]),
      ],
      remove: topics.remove,
    };
    memory[textKey(analysis)] = {
      ...(sentiment && { sentiment }),
      ...(correctedTopics && { topics: correctedTopics }),
      ...(intents && { intents }),
    };
    return { example, rules, features: featuresOf(analysis).map((item) => item.feature) };
  });
  const prepared: Prepared[] = analysed.map(({ example, rules, features }) => ({
    example,
    features,
    value: featureValue(features.length),
    ruleScore: rules.sentiment.score,
    ruleTopics: new Set(rules.topics.map((topic) => topic.id)),
  }));
  const withTopics = prepared.filter((item) => item.example.correction.topics !== undefined);
  const topicIds = new Set(
    withTopics.flatMap((item) => [...item.example.correction.topics!.add, ...item.example.correction.topics!.remove]),
  );
  return {
    format: MODEL_FORMAT,
    categoriserVersion: CATEGORISER_VERSION,
    examples: examples.length,
    sentiment: trainSentiment(prepared, settings),
    topics: Object.fromEntries([...topicIds].map((topicId) => [topicId, trainTopic(topicId, withTopics, settings)])),
    memory,
  };
}
