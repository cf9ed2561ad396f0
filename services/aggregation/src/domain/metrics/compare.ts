import { assertConfidence, normalTwoSidedPValue, studentTTwoSidedPValue } from './distributions';
import { type ConfidenceOptions, countBetween, DEFAULT_CONFIDENCE, sampleMoments } from './estimates';
import { checkHistogram, type Histogram, responseCount, type ScoreScale } from './histogram';
import { csatSatisfied, npsAdjusted, npsCounts } from './scale-metrics';

/**
 * Fewest answers per period before a mean-based test (NPS, CES mean) may call a change significant. Both tests lean on
 * the central limit theorem: one answer is a coarse, often skewed variable (−1/0/+1; 1–7 with a ceiling), so the
 * sample mean is near enough to normal only from about 30 answers, the usual rule of thumb for the central limit
 * theorem. Below it a large swing is as likely to be noise as change.
 */
export const MIN_ANSWERS_FOR_MEAN_TEST = 30;

/**
 * Smallest expected count, under "no change", in each cell of the period × (top-2-box or not) table before the
 * two-proportion z-test may call a change significant: Cochran's rule for the equivalent χ² test (W. G. Cochran,
 * "Some methods for strengthening the common χ² tests", Biometrics 10, 1954). It also rules out a pooled share of 0 or
 * 1, where the test has no variance to work with.
 */
export const MIN_EXPECTED_COUNT = 5;

/**
 * p-values below this are reported as it: far beyond any decision, and storable (DynamoDB's numbers stop at 1e-130;
 * two periods of one group each give 1e-190).
 */
export const SMALLEST_P_VALUE = 1e-100;

/** The metric a scale's periods are compared on, and what `delta` is measured in. */
export const comparedMetric = {
  nps: 'nps', // NPS points (current − previous)
  csat: 'topTwoBoxPercent', // percentage points
  ces: 'meanScore', // points on the 1–7 scale
} as const satisfies Record<ScoreScale, string>;

export interface PeriodComparison {
  readonly metric: (typeof comparedMetric)[ScoreScale];
  /** current − previous; null when either period has no answers. */
  readonly delta: number | null;
  /** Two-sided p-value of "no change"; null when there are too few answers to test. */
  readonly pValue: number | null;
  /** pValue < 1 − confidence; false whenever the test could not be run. */
  readonly significant: boolean;
}

interface TestOutcome {
  readonly delta: number | null;
  readonly pValue: number | null;
}

/**
 * Whether a scale's headline metric changed between two periods: NPS by a z-test of the difference of two independent
 * NPS estimates, CSAT top-2-box by the two-proportion z-test, CES mean by Welch's t-test.
 */
export function comparePeriods(
  scale: ScoreScale,
  current: Histogram,
  previous: Histogram,
  { confidence = DEFAULT_CONFIDENCE }: ConfidenceOptions = {},
): PeriodComparison {
  assertConfidence(confidence);
  checkHistogram(scale, current);
  checkHistogram(scale, previous);
  const { delta, pValue: exact } = testOf[scale](current, previous);
  const pValue = exact === null ? null : Math.max(exact, SMALLEST_P_VALUE);
  return { metric: comparedMetric[scale], delta, pValue, significant: pValue !== null && pValue < 1 - confidence };
}

const testOf: Readonly<Record<ScoreScale, (current: Histogram, previous: Histogram) => TestOutcome>> = {
  nps: npsDifferenceTest,
  csat: topTwoBoxTest,
  ces: welchTest,
};

/** A zero standard error means neither period varies at all: then any difference is certain and none is no change. */
function pValueWithoutSpread(delta: number): number {
  return delta === 0 ? 1 : 0;
}

/**
 * z = (NPS₁ − NPS₂) / √(Var₁/n₁ + Var₂/n₂), each Var and n those of the adjusted Wald interval (see
 * {@link npsAdjusted}), so that a test and the intervals on the chart agree; the periods are independent samples, so
 * the variances of the estimates add.
 */
function npsDifferenceTest(current: Histogram, previous: Histogram): TestOutcome {
  const currentCounts = npsCounts(current);
  const previousCounts = npsCounts(previous);
  if (currentCounts.n === 0 || previousCounts.n === 0) return { delta: null, pValue: null };
  const share = ({ n, promoters, detractors }: typeof currentCounts) => (promoters - detractors) / n;
  const difference = share(currentCounts) - share(previousCounts);
  const delta = 100 * difference;
  if (Math.min(currentCounts.n, previousCounts.n) < MIN_ANSWERS_FOR_MEAN_TEST) return { delta, pValue: null };
  const [currentAdjusted, previousAdjusted] = [npsAdjusted(currentCounts), npsAdjusted(previousCounts)];
  const standardError = Math.sqrt(
    currentAdjusted.variance / currentAdjusted.n + previousAdjusted.variance / previousAdjusted.n,
  );
  return { delta, pValue: normalTwoSidedPValue(difference / standardError) };
}

/**
 * The pooled two-proportion z-test: z = (p̂₁ − p̂₂) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)) with p̄ = (x₁ + x₂)/(n₁ + n₂), the
 * variance under "no change" (e.g. NIST/SEMATECH e-Handbook §7.3.3; z² is Pearson's χ² of the 2 × 2 table).
 */
function topTwoBoxTest(current: Histogram, previous: Histogram): TestOutcome {
  const satisfied = (histogram: Histogram) =>
    countBetween('csat', histogram, csatSatisfied.lowest, csatSatisfied.highest);
  const [currentN, previousN] = [responseCount(current), responseCount(previous)];
  if (currentN === 0 || previousN === 0) return { delta: null, pValue: null };
  const [currentSatisfied, previousSatisfied] = [satisfied(current), satisfied(previous)];
  const difference = currentSatisfied / currentN - previousSatisfied / previousN;
  const delta = 100 * difference;
  const pooledShare = (currentSatisfied + previousSatisfied) / (currentN + previousN);
  const smallestExpectedCount = Math.min(currentN, previousN) * Math.min(pooledShare, 1 - pooledShare);
  if (smallestExpectedCount < MIN_EXPECTED_COUNT) return { delta, pValue: null };
  const standardError = Math.sqrt(pooledShare * (1 - pooledShare) * (1 / currentN + 1 / previousN));
  return { delta, pValue: normalTwoSidedPValue(difference / standardError) };
}

/**
 * Welch's t-test (B. L. Welch, "The generalization of 'Student's' problem when several different population variances
 * are involved", Biometrika 34, 1947): t = (x̄₁ − x̄₂) / √(s₁²/n₁ + s₂²/n₂) with the Welch–Satterthwaite degrees of
 * freedom ν = (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁ − 1) + (s₂²/n₂)²/(n₂ − 1)). It does not assume equal variances,
 * which two periods of effort scores rarely have.
 */
function welchTest(current: Histogram, previous: Histogram): TestOutcome {
  const currentMoments = sampleMoments('ces', current);
  const previousMoments = sampleMoments('ces', previous);
  if (currentMoments.mean === null || previousMoments.mean === null) return { delta: null, pValue: null };
  const delta = currentMoments.mean - previousMoments.mean;
  if (Math.min(currentMoments.n, previousMoments.n) < MIN_ANSWERS_FOR_MEAN_TEST) return { delta, pValue: null };
  // At 30 answers or more both variances exist.
  const currentSquaredError = (currentMoments.variance ?? 0) / currentMoments.n;
  const previousSquaredError = (previousMoments.variance ?? 0) / previousMoments.n;
  const squaredStandardError = currentSquaredError + previousSquaredError;
  if (squaredStandardError === 0) return { delta, pValue: pValueWithoutSpread(delta) };
  const degreesOfFreedom =
    squaredStandardError ** 2 /
    (currentSquaredError ** 2 / (currentMoments.n - 1) + previousSquaredError ** 2 / (previousMoments.n - 1));
  return { delta, pValue: studentTTwoSidedPValue(delta / Math.sqrt(squaredStandardError), degreesOfFreedom) };
}
