import { InvalidMetricInputError } from './errors';

export const scoreScales = ['nps', 'csat', 'ces'] as const;
export type ScoreScale = (typeof scoreScales)[number];

export interface ScaleBounds {
  readonly min: number;
  readonly max: number;
}

/** NPS 0–10 (likelihood to recommend), CSAT 1–5 (satisfaction), CES 1–7 (ease: 7 = strongly agree it was easy). */
export const scaleBounds: Readonly<Record<ScoreScale, ScaleBounds>> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};

/** Exact count of answers per score: `histogram[score - min]`. Every metric is derived from it, never stored. */
export type Histogram = readonly number[];

export function isScoreScale(value: unknown): value is ScoreScale {
  return (scoreScales as readonly unknown[]).includes(value);
}

export function isScoreOnScale(scale: ScoreScale, score: number): boolean {
  const { min, max } = scaleBounds[scale];
  return Number.isInteger(score) && score >= min && score <= max;
}

export function assertScoreOnScale(scale: ScoreScale, score: number): void {
  if (!isScoreOnScale(scale, score)) {
    const { min, max } = scaleBounds[scale];
    throw new InvalidMetricInputError(`A ${scale} score is an integer from ${min} to ${max}, not ${score}`);
  }
}

export function histogramLength(scale: ScoreScale): number {
  const { min, max } = scaleBounds[scale];
  return max - min + 1;
}

export function emptyHistogram(scale: ScoreScale): Histogram {
  return new Array<number>(histogramLength(scale)).fill(0);
}

/** The number of answers a histogram holds. */
export function responseCount(histogram: Histogram): number {
  return histogram.reduce((sum, count) => sum + count, 0);
}

/**
 * Checks that a value (for instance read back from storage) is a histogram of the scale: the right length and a
 * non-negative safe integer per score. Throws {@link InvalidMetricInputError}; returns the histogram unchanged.
 */
export function checkHistogram(scale: ScoreScale, value: unknown): Histogram {
  if (!Array.isArray(value) || value.length !== histogramLength(scale)) {
    throw new InvalidMetricInputError(`A ${scale} histogram has ${histogramLength(scale)} counts`);
  }
  const badIndex = value.findIndex((count) => !isCount(count));
  if (badIndex !== -1) {
    const score = scaleBounds[scale].min + badIndex;
    throw new InvalidMetricInputError(`The count of score ${score} is not a non-negative integer: ${value[badIndex]}`);
  }
  if (!Number.isSafeInteger(responseCount(value))) {
    throw new InvalidMetricInputError(`The ${scale} histogram holds more answers than can be counted exactly`);
  }
  return value;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * The histogram with `delta` answers of `score` added (a negative delta takes a revised answer back out). A count
 * below zero would mean an answer was taken out that was never counted, so it throws rather than hide the bug.
 */
export function addToHistogram(scale: ScoreScale, histogram: Histogram, score: number, delta = 1): Histogram {
  checkHistogram(scale, histogram);
  assertScoreOnScale(scale, score);
  if (!Number.isSafeInteger(delta)) throw new InvalidMetricInputError(`A count changes by an integer, not ${delta}`);
  const index = score - scaleBounds[scale].min;
  const count = (histogram[index] ?? 0) + delta;
  if (count < 0) throw new InvalidMetricInputError(`The count of score ${score} would fall below zero`);
  return histogram.map((current, at) => (at === index ? count : current));
}

/** The histogram of all the given histograms' answers together (element-wise sum); empty when given none. */
export function mergeHistograms(scale: ScoreScale, ...histograms: readonly Histogram[]): Histogram {
  const merged = histograms.reduce<number[]>(
    (sum, histogram) => {
      checkHistogram(scale, histogram);
      return sum.map((count, index) => count + (histogram[index] ?? 0));
    },
    [...emptyHistogram(scale)],
  );
  return checkHistogram(scale, merged);
}

/** The histogram of a list of scores; throws on the first score that is not on the scale. */
export function histogramFromScores(scale: ScoreScale, scores: Iterable<number>): Histogram {
  const counts = [...emptyHistogram(scale)];
  for (const score of scores) {
    assertScoreOnScale(scale, score);
    const index = score - scaleBounds[scale].min;
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return checkHistogram(scale, counts);
}

/** The answers of `total` that are not in `part` (a subset of them, bucket by bucket). */
export function subtractHistogram(total: Histogram, part: Histogram): Histogram {
  return total.map((count, index) => Math.max(0, count - (part[index] ?? 0)));
}
