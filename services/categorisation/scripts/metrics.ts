import { sentimentLabels } from '@cxloop/events';
import type { SentimentLabel } from '../src/domain/sentiment';

export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface SentimentScores {
  readonly n: number;
  readonly accuracy: number;
  readonly perClass: Readonly<Record<SentimentLabel, ClassScores>>;
  /** Mean F1 over the three classes. */
  readonly macroF1: number;
  /** SentiRuEval's official measure: mean of F1(positive) and F1(negative). */
  readonly fMacroPosNeg: number;
}

export function scores(truePositives: number, predicted: number, actual: number): ClassScores {
  const precision = predicted === 0 ? 0 : truePositives / predicted;
  const recall = actual === 0 ? 0 : truePositives / actual;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

export function sentimentScores(
  pairs: readonly { gold: SentimentLabel; predicted: SentimentLabel }[],
): SentimentScores {
  const perClass = Object.fromEntries(
    sentimentLabels.map((label) => {
      const truePositives = pairs.filter((pair) => pair.gold === label && pair.predicted === label).length;
      const predicted = pairs.filter((pair) => pair.predicted === label).length;
      const actual = pairs.filter((pair) => pair.gold === label).length;
      return [label, scores(truePositives, predicted, actual)];
    }),
  ) as Record<SentimentLabel, ClassScores>;
  const correct = pairs.filter((pair) => pair.gold === pair.predicted).length;
  return {
    n: pairs.length,
    accuracy: pairs.length === 0 ? 0 : correct / pairs.length,
    perClass,
    macroF1: (perClass.positive.f1 + perClass.neutral.f1 + perClass.negative.f1) / 3,
    fMacroPosNeg: (perClass.positive.f1 + perClass.negative.f1) / 2,
  };
}

/** Multi-label P/R/F1 per label and micro-averaged, over items with gold and predicted label sets. */
export function multiLabelScores(
  items: readonly { gold: ReadonlySet<string>; predicted: ReadonlySet<string> }[],
  labels: readonly string[],
): { perLabel: Record<string, ClassScores & { support: number }>; micro: ClassScores } {
  let allTruePositives = 0;
  let allPredicted = 0;
  let allActual = 0;
  const perLabel: Record<string, ClassScores & { support: number }> = {};
  for (const label of labels) {
    const truePositives = items.filter((item) => item.gold.has(label) && item.predicted.has(label)).length;
    const predicted = items.filter((item) => item.predicted.has(label)).length;
    const actual = items.filter((item) => item.gold.has(label)).length;
    perLabel[label] = { ...scores(truePositives, predicted, actual), support: actual };
    allTruePositives += truePositives;
    allPredicted += predicted;
    allActual += actual;
  }
  return { perLabel, micro: scores(allTruePositives, allPredicted, allActual) };
}

export function percentile(sortedValues: readonly number[], fraction: number): number {
  if (sortedValues.length === 0) return 0;
  const index = Math.min(sortedValues.length - 1, Math.ceil(fraction * sortedValues.length) - 1);
  return sortedValues[Math.max(0, index)]!;
}
