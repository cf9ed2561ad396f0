import { standardNormalQuantile, studentTQuantile, upperQuantileLevel } from './distributions';
import { InvalidMetricInputError } from './errors';
import { type Histogram, responseCount, type ScoreScale, scaleBounds } from './histogram';

export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

export interface ConfidenceOptions {
  /** Two-sided confidence level of intervals (and 1 − significance level of tests); 0.95 unless given. */
  readonly confidence?: number;
}

export const DEFAULT_CONFIDENCE = 0.95;

/** A share of the answers, in percent, with its Wilson score interval (also in percent). */
export interface ProportionEstimate {
  readonly count: number;
  readonly percent: number;
  readonly interval: Interval;
}

/** The mean score with its t-interval; standard deviation and interval need at least two answers. */
export interface MeanEstimate {
  readonly mean: number;
  readonly standardDeviation: number | null;
  readonly interval: Interval | null;
}

export function clampInterval(interval: Interval, bounds: Interval): Interval {
  return {
    lower: Math.min(Math.max(interval.lower, bounds.lower), bounds.upper),
    upper: Math.min(Math.max(interval.upper, bounds.lower), bounds.upper),
  };
}

/**
 * Wilson's score interval for a binomial proportion, as fractions of 1 (E. B. Wilson, "Probable inference, the law of
 * succession, and statistical inference", JASA 22, 1927; method 3 of R. G. Newcombe, Statistics in Medicine 17, 1998):
 * (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n). Unlike p̂ ± z·√(p̂(1 − p̂)/n) it stays inside [0, 1] and keeps
 * its coverage for small n and for shares near 0 % or 100 %, both common for top-box scores.
 */
export function wilsonInterval(successes: number, trials: number, confidence = DEFAULT_CONFIDENCE): Interval {
  if (!Number.isSafeInteger(trials) || trials < 1) {
    throw new InvalidMetricInputError(`A proportion needs a positive whole number of trials, not ${trials}`);
  }
  if (!Number.isSafeInteger(successes) || successes < 0 || successes > trials) {
    throw new InvalidMetricInputError(`Successes must be a whole number from 0 to ${trials}, not ${successes}`);
  }
  const z = standardNormalQuantile(upperQuantileLevel(confidence));
  const share = successes / trials;
  const zSquaredPerTrial = (z * z) / trials;
  const denominator = 1 + zSquaredPerTrial;
  const centre = (share + zSquaredPerTrial / 2) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((share * (1 - share)) / trials + zSquaredPerTrial / (4 * trials));
  // The interval always holds p̂ (and so reaches exactly 0 or 1 at 0 or n successes); rounding must not push it out.
  return {
    lower: Math.max(0, Math.min(centre - halfWidth, share)),
    upper: Math.min(1, Math.max(centre + halfWidth, share)),
  };
}

/** The share of `count` among `n` answers in percent with its Wilson interval; null when there are no answers. */
export function proportionEstimate(count: number, n: number, confidence: number): ProportionEstimate | null {
  if (n === 0) return null;
  const interval = wilsonInterval(count, n, confidence);
  return { count, percent: (100 * count) / n, interval: { lower: 100 * interval.lower, upper: 100 * interval.upper } };
}

/** How many answers have a score from `lowest` to `highest` (inclusive). */
export function countBetween(scale: ScoreScale, histogram: Histogram, lowest: number, highest: number): number {
  const { min } = scaleBounds[scale];
  return histogram.reduce((sum, count, index) => {
    const score = min + index;
    return score >= lowest && score <= highest ? sum + count : sum;
  }, 0);
}

export interface SampleMoments {
  readonly n: number;
  /** null without answers. */
  readonly mean: number | null;
  /** The unbiased sample variance (divisor n − 1); null with fewer than two answers. */
  readonly variance: number | null;
}

/** Mean and sample variance of the scores, exactly as if computed from the expanded list of answers. */
export function sampleMoments(scale: ScoreScale, histogram: Histogram): SampleMoments {
  const { min } = scaleBounds[scale];
  const n = responseCount(histogram);
  if (n === 0) return { n, mean: null, variance: null };
  const mean = histogram.reduce((sum, count, index) => sum + count * (min + index), 0) / n;
  if (n < 2) return { n, mean, variance: null };
  // Two passes (deviations from the mean), not Σx² − n·x̄², which cancels catastrophically when the spread is small.
  const squaredDeviations = histogram.reduce((sum, count, index) => sum + count * (min + index - mean) ** 2, 0);
  return { n, mean, variance: squaredDeviations / (n - 1) };
}

/**
 * The mean score with the t-interval x̄ ± t(1 − α/2, n − 1)·s/√n (Student 1908; e.g. NIST/SEMATECH e-Handbook of
 * Statistical Methods §7.2.2.1), clamped to the scale because a mean cannot leave it; null without answers.
 */
export function meanEstimate(scale: ScoreScale, histogram: Histogram, confidence: number): MeanEstimate | null {
  const { n, mean, variance } = sampleMoments(scale, histogram);
  if (mean === null) return null;
  if (variance === null) return { mean, standardDeviation: null, interval: null };
  const standardDeviation = Math.sqrt(variance);
  const halfWidth = studentTQuantile(upperQuantileLevel(confidence), n - 1) * (standardDeviation / Math.sqrt(n));
  const { min, max } = scaleBounds[scale];
  const interval = clampInterval({ lower: mean - halfWidth, upper: mean + halfWidth }, { lower: min, upper: max });
  return { mean, standardDeviation, interval };
}
