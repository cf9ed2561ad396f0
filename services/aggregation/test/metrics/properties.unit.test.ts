import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addToHistogram,
  bucketEnd,
  bucketIntervals,
  bucketKey,
  bucketStart,
  cesMetrics,
  comparePeriods,
  csatMetrics,
  emptyHistogram,
  type Histogram,
  histogramFromScores,
  mergeHistograms,
  npsMetrics,
  type ScoreScale,
  scaleBounds,
  scoreScales,
  standardNormalQuantile,
  studentTQuantile,
  toDelightedMetrics,
  wilsonInterval,
} from '../../src/domain/metrics';

const histogramOf = (scale: ScoreScale, maxCount = 60) => {
  const { min, max } = scaleBounds[scale];
  const length = max - min + 1;
  return fc.array(fc.nat({ max: maxCount }), { minLength: length, maxLength: length });
};
const scoresOf = (scale: ScoreScale) =>
  fc.array(fc.integer({ min: scaleBounds[scale].min, max: scaleBounds[scale].max }), { maxLength: 150 });
const anyScale = fc.constantFrom(...scoreScales);

describe('histograms', () => {
  it('merge commutatively and associatively, with the empty histogram as identity', () => {
    fc.assert(
      fc.property(
        anyScale.chain((scale) =>
          fc.tuple(fc.constant(scale), histogramOf(scale), histogramOf(scale), histogramOf(scale)),
        ),
        ([scale, a, b, c]) => {
          expect(mergeHistograms(scale, a, b)).toEqual(mergeHistograms(scale, b, a));
          expect(mergeHistograms(scale, mergeHistograms(scale, a, b), c)).toEqual(
            mergeHistograms(scale, a, mergeHistograms(scale, b, c)),
          );
          expect(mergeHistograms(scale, a, emptyHistogram(scale))).toEqual(a);
        },
      ),
    );
  });

  it('are the same whether built from a whole list or merged from its parts', () => {
    fc.assert(
      fc.property(
        anyScale.chain((scale) => fc.tuple(fc.constant(scale), scoresOf(scale), scoresOf(scale))),
        ([scale, first, second]) => {
          expect(histogramFromScores(scale, [...first, ...second])).toEqual(
            mergeHistograms(scale, histogramFromScores(scale, first), histogramFromScores(scale, second)),
          );
        },
      ),
    );
  });

  it('return to where they were when a revision takes an answer back out', () => {
    fc.assert(
      fc.property(
        anyScale.chain((scale) => fc.tuple(fc.constant(scale), histogramOf(scale), fc.integer(scaleBounds[scale]))),
        ([scale, histogram, score]) => {
          expect(addToHistogram(scale, addToHistogram(scale, histogram, score, 1), score, -1)).toEqual(histogram);
        },
      ),
    );
  });
});

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const z95 = standardNormalQuantile(0.975);

/** NPS the obvious way from the list of answers: the mean of answers coded +1 / 0 / −1, with that list's variance. */
/** NPS by direct sums over the coded list; the margin over the list with the adjusted Wald pseudo-answers added. */
function referenceNps(scores: readonly number[]) {
  const coded = scores.map((score) => (score >= 9 ? 1 : score <= 6 ? -1 : 0));
  const weighted = [
    ...coded.map((value) => ({ value, weight: 1 })),
    ...[1, 0, -1].map((value) => ({ value, weight: value === 0 ? 1.5 : 0.75 })),
  ];
  const total = weighted.reduce((sum, { weight }) => sum + weight, 0);
  const adjustedMean = weighted.reduce((sum, { value, weight }) => sum + value * weight, 0) / total;
  const variance = weighted.reduce((sum, { value, weight }) => sum + weight * (value - adjustedMean) ** 2, 0) / total;
  return { nps: 100 * mean(coded), marginOfError: 100 * z95 * Math.sqrt(variance / total) };
}

/** Mean, spread and top-box share of CSAT or CES answers by direct sums over the list. */
function referenceMeanAndShare(scale: 'csat' | 'ces', scores: readonly number[]) {
  const n = scores.length;
  const scoreMean = mean(scores);
  const standardDeviation = Math.sqrt(scores.reduce((sum, score) => sum + (score - scoreMean) ** 2, 0) / (n - 1));
  const halfWidth = (studentTQuantile(0.975, n - 1) * standardDeviation) / Math.sqrt(n);
  const { min, max } = scaleBounds[scale];
  const share = scores.filter((score) => score >= (scale === 'csat' ? 4 : 5)).length;
  return {
    mean: scoreMean,
    standardDeviation,
    interval: { lower: Math.max(min, scoreMean - halfWidth), upper: Math.min(max, scoreMean + halfWidth) },
    sharePercent: (100 * share) / n,
    shareInterval: wilsonInterval(share, n),
  };
}

describe('metrics of a histogram equal metrics of the expanded list of answers', () => {
  const listsOfTwoOrMore = (scale: ScoreScale) =>
    fc.array(fc.integer(scaleBounds[scale]), { minLength: 2, maxLength: 300 });

  it('for NPS', () => {
    fc.assert(
      fc.property(listsOfTwoOrMore('nps'), (scores) => {
        const metrics = npsMetrics(histogramFromScores('nps', scores));
        const reference = referenceNps(scores);
        expect(metrics.n).toBe(scores.length);
        expect(metrics.nps).toBeCloseTo(reference.nps, 9);
        expect(metrics.marginOfError).toBeCloseTo(reference.marginOfError, 9);
      }),
    );
  });

  it.each(['csat', 'ces'] as const)('for %s', (scale) => {
    fc.assert(
      fc.property(listsOfTwoOrMore(scale), (scores) => {
        const histogram = histogramFromScores(scale, scores);
        const { mean: meanEstimate, share } =
          scale === 'csat'
            ? { ...csatMetrics(histogram), share: csatMetrics(histogram).topTwoBox }
            : { ...cesMetrics(histogram), share: cesMetrics(histogram).easy };
        const reference = referenceMeanAndShare(scale, scores);
        expect(meanEstimate?.mean).toBeCloseTo(reference.mean, 9);
        expect(meanEstimate?.standardDeviation).toBeCloseTo(reference.standardDeviation, 9);
        expect(meanEstimate?.interval?.lower).toBeCloseTo(reference.interval.lower, 9);
        expect(meanEstimate?.interval?.upper).toBeCloseTo(reference.interval.upper, 9);
        expect(share?.percent).toBeCloseTo(reference.sharePercent, 9);
        expect(share?.interval.lower).toBeCloseTo(100 * reference.shareInterval.lower, 9);
        expect(share?.interval.upper).toBeCloseTo(100 * reference.shareInterval.upper, 9);
      }),
    );
  });
});

describe('bounds', () => {
  it('keep the NPS and its interval within [−100, 100], around the NPS', () => {
    fc.assert(
      fc.property(
        histogramOf('nps', 1000),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        (histogram, confidence) => {
          const { nps, interval, marginOfError } = npsMetrics(histogram, { confidence });
          if (nps === null) return;
          expect(nps).toBeGreaterThanOrEqual(-100);
          expect(nps).toBeLessThanOrEqual(100);
          expect(marginOfError).toBeGreaterThanOrEqual(0);
          expect(interval?.lower).toBeGreaterThanOrEqual(-100);
          expect(interval?.upper).toBeLessThanOrEqual(100);
          expect(interval?.lower).toBeLessThanOrEqual(nps);
          expect(interval?.upper).toBeGreaterThanOrEqual(nps);
        },
      ),
    );
  });

  it('keep Wilson intervals within [0, 1] and around the observed share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }).chain((trials) => fc.tuple(fc.nat({ max: trials }), fc.constant(trials))),
        ([successes, trials]) => {
          const { lower, upper } = wilsonInterval(successes, trials);
          expect(lower).toBeGreaterThanOrEqual(0);
          expect(upper).toBeLessThanOrEqual(1);
          expect(lower).toBeLessThanOrEqual(successes / trials);
          expect(upper).toBeGreaterThanOrEqual(successes / trials);
        },
      ),
    );
  });

  it('keep Delighted integers consistent with the exact NPS', () => {
    fc.assert(
      fc.property(histogramOf('nps'), (histogram) => {
        const delighted = toDelightedMetrics(histogram);
        const exact = npsMetrics(histogram).nps ?? 0;
        expect(Number.isInteger(delighted.nps)).toBe(true);
        expect(Math.abs(delighted.nps - exact)).toBeLessThanOrEqual(0.5);
        expect(
          Math.abs(delighted.nps - (delighted.promoter_percent - delighted.detractor_percent)),
        ).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('period comparisons', () => {
  it('are antisymmetric in delta and symmetric in p-value, which lies in [0, 1]', () => {
    fc.assert(
      fc.property(
        anyScale.chain((scale) => fc.tuple(fc.constant(scale), histogramOf(scale, 20), histogramOf(scale, 20))),
        ([scale, current, previous]: [ScoreScale, Histogram, Histogram]) => {
          const forward = comparePeriods(scale, current, previous);
          const backward = comparePeriods(scale, previous, current);
          if (forward.delta === null) expect(backward.delta).toBeNull();
          else expect(forward.delta).toBeCloseTo(-(backward.delta ?? Number.NaN), 9);
          expect(forward.pValue).toBe(backward.pValue);
          if (forward.pValue !== null) {
            expect(forward.pValue).toBeGreaterThanOrEqual(0);
            expect(forward.pValue).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});

describe('time buckets', () => {
  const timeZones = [
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'America/Havana',
  ];

  it('hold every instant in exactly one bucket, whose key round-trips', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.constantFrom(...bucketIntervals),
        fc.constantFrom(...timeZones),
        (instant, interval, timeZone) => {
          const key = bucketKey(instant, interval, timeZone);
          const start = bucketStart(key, interval, timeZone);
          const end = bucketEnd(key, interval, timeZone);
          expect(start.getTime()).toBeLessThanOrEqual(instant.getTime());
          expect(end.getTime()).toBeGreaterThan(instant.getTime());
          expect(bucketKey(start, interval, timeZone)).toBe(key);
          expect(bucketKey(new Date(start.getTime() - 1), interval, timeZone)).not.toBe(key);
          expect(bucketKey(end, interval, timeZone)).not.toBe(key);
          expect(bucketKey(new Date(end.getTime() - 1), interval, timeZone)).toBe(key);
        },
      ),
      { numRuns: 300 },
    );
  });
});
