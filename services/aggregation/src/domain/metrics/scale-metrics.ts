import { standardNormalQuantile, upperQuantileLevel } from './distributions';
import {
  type ConfidenceOptions,
  clampInterval,
  countBetween,
  DEFAULT_CONFIDENCE,
  type Interval,
  type MeanEstimate,
  meanEstimate,
  type ProportionEstimate,
  proportionEstimate,
} from './estimates';
import { checkHistogram, type Histogram, responseCount, type ScoreScale } from './histogram';

/** Answer groups of each scale (NPS: Reichheld, "The One Number You Need to Grow", HBR 2003). */
export const npsGroups = {
  detractors: { lowest: 0, highest: 6 },
  passives: { lowest: 7, highest: 8 },
  promoters: { lowest: 9, highest: 10 },
} as const;
/** CSAT's top two boxes: "satisfied" and "very satisfied". */
export const csatSatisfied = { lowest: 4, highest: 5 } as const;
/** CES answers that agree, from "somewhat" to "strongly", that the task was easy. */
export const cesEasy = { lowest: 5, highest: 7 } as const;

export interface NpsMetrics {
  readonly scale: 'nps';
  readonly n: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  /** Percent of answered responses; null (like every derived figure) when there are none. */
  readonly promoterPercent: number | null;
  readonly passivePercent: number | null;
  readonly detractorPercent: number | null;
  /** % promoters − % detractors, from −100 to 100. */
  readonly nps: number | null;
  /** Half-width of the (adjusted Wald) confidence interval, in NPS points. */
  readonly marginOfError: number | null;
  /** The adjusted Wald interval: centred on the adjusted NPS, clamped to [−100, 100], always holding `nps`. */
  readonly interval: Interval | null;
}

export interface CsatMetrics {
  readonly scale: 'csat';
  readonly n: number;
  /** The CSAT score: percent of answers 4–5, with a Wilson interval. */
  readonly topTwoBox: ProportionEstimate | null;
  readonly mean: MeanEstimate | null;
}

export interface CesMetrics {
  readonly scale: 'ces';
  readonly n: number;
  /** The CES score: mean of 1–7, with a t-interval. */
  readonly mean: MeanEstimate | null;
  /** Percent of answers 5–7, with a Wilson interval. */
  readonly easy: ProportionEstimate | null;
}

export interface MetricsByScale {
  readonly nps: NpsMetrics;
  readonly csat: CsatMetrics;
  readonly ces: CesMetrics;
}
export type ScaleMetrics = MetricsByScale[ScoreScale];

export interface NpsCounts {
  readonly n: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
}

export function npsCounts(histogram: Histogram): NpsCounts {
  checkHistogram('nps', histogram);
  const count = (group: { lowest: number; highest: number }) =>
    countBetween('nps', histogram, group.lowest, group.highest);
  return {
    n: responseCount(histogram),
    promoters: count(npsGroups.promoters),
    passives: count(npsGroups.passives),
    detractors: count(npsGroups.detractors),
  };
}

/**
 * The adjusted Wald interval's pseudo-answers: ¾ of a promoter, ¾ of a detractor and 1½ passives, three answers in
 * all (B. Rocks, "Interval Estimation for the 'Net Promoter Score'", The American Statistician 70, 2016, the variant
 * that J. Lewis and J. Sauro found best on real NPS data, MeasuringU 2021). Like Agresti–Coull for one proportion,
 * they pull the interval's centre towards 0 and keep its width above zero when every answer falls in one group, so
 * that six detractors do not read as "exactly −100".
 */
export const npsPseudoAnswers = { promoters: 0.75, detractors: 0.75, total: 3 } as const;

export interface NpsAdjusted {
  /** n plus the pseudo-answers. */
  readonly n: number;
  /** The adjusted NPS as a fraction (−1…1): the interval's centre. */
  readonly centre: number;
  /**
   * The variance of one response at the adjusted shares: each answer is +1, 0 or −1, so the NPS is the mean of a
   * trinomial variable and Var = p_P + p_D − (p_P − p_D)². Never zero, thanks to the pseudo-answers.
   */
  readonly variance: number;
}

export function npsAdjusted({ n, promoters, detractors }: NpsCounts): NpsAdjusted {
  const total = n + npsPseudoAnswers.total;
  const promoterShare = (promoters + npsPseudoAnswers.promoters) / total;
  const detractorShare = (detractors + npsPseudoAnswers.detractors) / total;
  const centre = promoterShare - detractorShare;
  return { n: total, centre, variance: promoterShare + detractorShare - centre * centre };
}

/** The adjusted Wald interval of the NPS in points (clamped to ±100, always holding the NPS itself). */
export function npsInterval(counts: NpsCounts, confidence = DEFAULT_CONFIDENCE): Interval & { halfWidth: number } {
  const z = standardNormalQuantile(upperQuantileLevel(confidence));
  const { n, centre, variance } = npsAdjusted(counts);
  const halfWidth = 100 * z * Math.sqrt(variance / n);
  const nps = counts.n === 0 ? 0 : (100 * (counts.promoters - counts.detractors)) / counts.n;
  const { lower, upper } = clampInterval(
    { lower: 100 * centre - halfWidth, upper: 100 * centre + halfWidth },
    { lower: -100, upper: 100 },
  );
  return { lower: Math.min(lower, nps), upper: Math.max(upper, nps), halfWidth };
}

export function npsMetrics(
  histogram: Histogram,
  { confidence = DEFAULT_CONFIDENCE }: ConfidenceOptions = {},
): NpsMetrics {
  const counts = npsCounts(histogram);
  const { n, promoters, passives, detractors } = counts;
  if (n === 0) {
    return {
      scale: 'nps',
      ...counts,
      promoterPercent: null,
      passivePercent: null,
      detractorPercent: null,
      nps: null,
      marginOfError: null,
      interval: null,
    };
  }
  const nps = (100 * (promoters - detractors)) / n;
  const { halfWidth, ...interval } = npsInterval(counts, confidence);
  return {
    scale: 'nps',
    ...counts,
    promoterPercent: (100 * promoters) / n,
    passivePercent: (100 * passives) / n,
    detractorPercent: (100 * detractors) / n,
    nps,
    marginOfError: halfWidth,
    interval,
  };
}

export function csatMetrics(
  histogram: Histogram,
  { confidence = DEFAULT_CONFIDENCE }: ConfidenceOptions = {},
): CsatMetrics {
  checkHistogram('csat', histogram);
  const n = responseCount(histogram);
  const satisfied = countBetween('csat', histogram, csatSatisfied.lowest, csatSatisfied.highest);
  return {
    scale: 'csat',
    n,
    topTwoBox: proportionEstimate(satisfied, n, confidence),
    mean: meanEstimate('csat', histogram, confidence),
  };
}

export function cesMetrics(
  histogram: Histogram,
  { confidence = DEFAULT_CONFIDENCE }: ConfidenceOptions = {},
): CesMetrics {
  checkHistogram('ces', histogram);
  const n = responseCount(histogram);
  const easy = countBetween('ces', histogram, cesEasy.lowest, cesEasy.highest);
  return {
    scale: 'ces',
    n,
    mean: meanEstimate('ces', histogram, confidence),
    easy: proportionEstimate(easy, n, confidence),
  };
}

const metricsOfScale: {
  readonly [Scale in ScoreScale]: (histogram: Histogram, options?: ConfidenceOptions) => MetricsByScale[Scale];
} = { nps: npsMetrics, csat: csatMetrics, ces: cesMetrics };

/** The metrics of a histogram on the given scale. */
export function metricsFor<Scale extends ScoreScale>(
  scale: Scale,
  histogram: Histogram,
  options: ConfidenceOptions = {},
): MetricsByScale[Scale] {
  return metricsOfScale[scale](histogram, options);
}
