import { describe, expect, it } from 'vitest';
import {
  cesMetrics,
  csatMetrics,
  emptyHistogram,
  histogramFromScores,
  InvalidMetricInputError,
  metricsFor,
  npsMetrics,
  wilsonInterval,
} from '../../src/domain/metrics';

/** Every number anywhere in a value, to show that no NaN or Infinity slipped through. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

/** Scores 0–10 in index order. */
function npsHistogram(countsByScore: Partial<Record<number, number>>) {
  return Array.from({ length: 11 }, (_, score) => countsByScore[score] ?? 0);
}

describe('npsMetrics', () => {
  // 50 promoters (30 × 10, 20 × 9), 30 passives (20 × 8, 10 × 7), 20 detractors (10 × 6, 10 × 3); n = 100
  const fiftyThirtyTwenty = npsHistogram({ 10: 30, 9: 20, 8: 20, 7: 10, 6: 10, 3: 10 });

  it('counts promoters 9–10, passives 7–8 and detractors 0–6 with their shares', () => {
    const metrics = npsMetrics(fiftyThirtyTwenty);
    expect(metrics).toMatchObject({ n: 100, promoters: 50, passives: 30, detractors: 20 });
    expect(metrics.promoterPercent).toBe(50);
    expect(metrics.passivePercent).toBe(30);
    expect(metrics.detractorPercent).toBe(20);
  });

  it('puts 6 with detractors, 7 and 8 with passives, 9 with promoters', () => {
    expect(npsMetrics(npsHistogram({ 6: 1, 7: 1, 8: 1, 9: 1 }))).toMatchObject({
      promoters: 1,
      passives: 2,
      detractors: 1,
    });
  });

  it('matches the hand-computed NPS and adjusted Wald interval for 50 / 30 / 20 of 100', () => {
    // NPS = 50 % − 20 % = 30. Adjusted (¾ promoter, ¾ detractor, 1½ passives; n' = 103):
    // p_P = 50.75/103 = 0.4927184, p_D = 20.75/103 = 0.2014563, centre = 0.2912621
    // Var = p_P + p_D − centre² = 0.6093411; √(Var/n') = 0.0769152
    // MoE = 1.959964 · 0.0769152 · 100 = 15.0751; interval 29.1262 ∓ 15.0751 = [14.0511, 44.2013]
    const metrics = npsMetrics(fiftyThirtyTwenty);
    expect(metrics.nps).toBeCloseTo(30, 10);
    expect(metrics.marginOfError).toBeCloseTo(15.0751, 4);
    expect(metrics.interval?.lower).toBeCloseTo(14.0511, 4);
    expect(metrics.interval?.upper).toBeCloseTo(44.2013, 4);
  });

  it('narrows with a lower confidence level', () => {
    // z(0.95) = 1.644854; MoE = 1.644854 · 0.0769152 · 100 = 12.6514
    expect(npsMetrics(fiftyThirtyTwenty, { confidence: 0.9 }).marginOfError).toBeCloseTo(12.6514, 4);
  });

  it('clamps the interval to [−100, 100]', () => {
    // 9 promoters, 1 passive: NPS 90; n' = 13, p_P = 9.75/13 = 0.75, p_D = 0.75/13, centre = 0.6923077
    // Var = 0.8076923 − 0.4792899 = 0.3284024; MoE = 1.959964 · √(0.3284024/13) · 100 = 31.1515
    // → [38.0792, 100.3823] → upper clamped to 100
    const metrics = npsMetrics(npsHistogram({ 10: 9, 8: 1 }));
    expect(metrics.nps).toBeCloseTo(90, 10);
    expect(metrics.marginOfError).toBeCloseTo(31.1515, 4);
    expect(metrics.interval?.lower).toBeCloseTo(38.0792, 4);
    expect(metrics.interval?.upper).toBe(100);
  });

  it('keeps a non-zero interval when every answer is in one group (six 5s are not "exactly −100")', () => {
    const metrics = npsMetrics(npsHistogram({ 5: 6 }));
    expect(metrics.nps).toBe(-100);
    expect(metrics.marginOfError).toBeGreaterThan(30);
    expect(metrics.interval?.lower).toBe(-100);
    expect(metrics.interval?.upper).toBeCloseTo(-25.9249, 4);
  });

  it('always holds the NPS itself, though centred on the adjusted one', () => {
    for (const histogram of [npsHistogram({ 10: 1 }), npsHistogram({ 0: 1 }), npsHistogram({ 10: 40, 0: 1 })]) {
      const { nps, interval } = npsMetrics(histogram);
      expect(interval!.lower).toBeLessThanOrEqual(nps!);
      expect(interval!.upper).toBeGreaterThanOrEqual(nps!);
    }
  });

  it('has no metric, and no NaN, without answers', () => {
    const metrics = npsMetrics(emptyHistogram('nps'));
    expect(metrics).toEqual({
      scale: 'nps',
      n: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
      promoterPercent: null,
      passivePercent: null,
      detractorPercent: null,
      nps: null,
      marginOfError: null,
      interval: null,
    });
  });

  it('refuses a histogram of another scale and a confidence outside (0, 1)', () => {
    expect(() => npsMetrics(emptyHistogram('csat'))).toThrow(InvalidMetricInputError);
    expect(() => npsMetrics(fiftyThirtyTwenty, { confidence: 95 })).toThrow(InvalidMetricInputError);
  });
});

describe('wilsonInterval against the worked examples of Newcombe (1998)', () => {
  // R. G. Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven methods",
  // Statistics in Medicine 17 (1998) 857–872, Table II, method 3 (score method without continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i / %i → [%d, %d]', (successes, trials, lower, upper) => {
    const interval = wilsonInterval(successes, trials);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  it('is exactly [0, …] at no successes and […, 1] at all successes', () => {
    expect(wilsonInterval(0, 20).lower).toBe(0);
    expect(wilsonInterval(20, 20).upper).toBe(1);
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(3, 0)).toThrow(InvalidMetricInputError);
    expect(() => wilsonInterval(4, 3)).toThrow(InvalidMetricInputError);
    expect(() => wilsonInterval(1.5, 3)).toThrow(InvalidMetricInputError);
  });
});

describe('csatMetrics', () => {
  // 5 × 1, 5 × 2, 10 × 3, 30 × 4, 50 × 5; n = 100
  const histogram = [5, 5, 10, 30, 50];

  it('gives the top-2-box share with its Wilson interval (hand-computed)', () => {
    // p̂ = 80/100 = 0.8; z² = 3.841459; z²/n = 0.0384146; 1 + z²/n = 1.0384146
    // centre = (0.8 + 0.0384146/2) / 1.0384146 = 0.788918
    // half = (1.959964 / 1.0384146) · √(0.8·0.2/100 + 3.841459/(4·100²)) = 1.887457 · √0.00169604 = 0.077731
    // → [0.711171, 0.866633] → [71.1171 %, 86.6633 %]
    const { topTwoBox } = csatMetrics(histogram);
    expect(topTwoBox?.count).toBe(80);
    expect(topTwoBox?.percent).toBe(80);
    expect(topTwoBox?.interval.lower).toBeCloseTo(71.1171, 4);
    expect(topTwoBox?.interval.upper).toBeCloseTo(86.6633, 4);
  });

  it('gives the mean with its t-interval (hand-computed)', () => {
    // mean = (5·1 + 5·2 + 10·3 + 30·4 + 50·5) / 100 = 415 / 100 = 4.15
    // Σ(x − x̄)² = 5·3.15² + 5·2.15² + 10·1.15² + 30·0.15² + 50·0.85² = 49.6125 + 23.1125 + 13.225 + 0.675 + 36.125
    //           = 122.75; s² = 122.75/99 = 1.239899; s = 1.113508; s/√n = 0.1113508
    // t(0.975, 99) = 1.984217; half = 0.220944 → [3.929056, 4.370944]
    const { mean, n } = csatMetrics(histogram);
    expect(n).toBe(100);
    expect(mean?.mean).toBeCloseTo(4.15, 12);
    expect(mean?.standardDeviation).toBeCloseTo(1.113508, 6);
    expect(mean?.interval?.lower).toBeCloseTo(3.929056, 6);
    expect(mean?.interval?.upper).toBeCloseTo(4.370944, 6);
  });

  it('gives a mean without spread or interval for a single answer', () => {
    expect(csatMetrics([0, 0, 0, 1, 0]).mean).toEqual({ mean: 4, standardDeviation: null, interval: null });
  });

  it('clamps the mean interval to the 1–5 scale', () => {
    // 4 and 5: mean 4.5, s = 0.7071, t(0.975, 1) = 12.706 → 4.5 ± 6.35, far beyond the scale
    expect(csatMetrics([0, 0, 0, 1, 1]).mean?.interval).toEqual({ lower: 1, upper: 5 });
  });

  it('is null without answers', () => {
    expect(csatMetrics(emptyHistogram('csat'))).toEqual({ scale: 'csat', n: 0, topTwoBox: null, mean: null });
  });
});

describe('cesMetrics', () => {
  // scores 3, 4, 4, 5, 5, 5, 6, 6, 7, 7; n = 10
  const histogram = histogramFromScores('ces', [3, 4, 4, 5, 5, 5, 6, 6, 7, 7]);

  it('gives the mean with its t-interval (hand-computed)', () => {
    // mean = 52/10 = 5.2; Σ(x − x̄)² = 2.2² + 2·1.2² + 3·0.2² + 2·0.8² + 2·1.8² = 4.84 + 2.88 + 0.12 + 1.28 + 6.48 = 15.6
    // s² = 15.6/9 = 1.733333; s = 1.316561; s/√10 = 0.416333
    // t(0.975, 9) = 2.262157; half = 0.941811 → [4.258189, 6.141811]
    const { mean } = cesMetrics(histogram);
    expect(mean?.mean).toBeCloseTo(5.2, 12);
    expect(mean?.standardDeviation).toBeCloseTo(1.316561, 6);
    expect(mean?.interval?.lower).toBeCloseTo(4.258189, 6);
    expect(mean?.interval?.upper).toBeCloseTo(6.141811, 6);
  });

  it('gives the share of easy answers (5–7) with its Wilson interval (hand-computed)', () => {
    // 7 of 10; z²/n = 0.3841459; 1 + z²/n = 1.3841459; centre = (0.7 + 0.1920729) / 1.3841459 = 0.644493
    // half = (1.959964 / 1.3841459) · √(0.7·0.3/10 + 3.841459/400) = 1.416008 · √0.03060365 = 0.247715
    // → [0.396778, 0.892209]
    const { easy } = cesMetrics(histogram);
    expect(easy?.count).toBe(7);
    expect(easy?.percent).toBeCloseTo(70, 12);
    expect(easy?.interval.lower).toBeCloseTo(39.6778, 4);
    expect(easy?.interval.upper).toBeCloseTo(89.2209, 4);
  });

  it('is null without answers', () => {
    expect(cesMetrics(emptyHistogram('ces'))).toEqual({ scale: 'ces', n: 0, mean: null, easy: null });
  });
});

describe('metricsFor', () => {
  it.each([
    ['nps', npsHistogram({ 10: 3, 2: 1 }), npsMetrics],
    ['csat', [1, 0, 2, 0, 3], csatMetrics],
    ['ces', [0, 1, 0, 0, 2, 0, 1], cesMetrics],
  ] as const)('computes the %s metrics', (scale, histogram, direct) => {
    const metrics = metricsFor(scale, histogram);
    expect(metrics).toEqual(direct(histogram));
    expect(metrics.scale).toBe(scale);
  });

  it.each(['nps', 'csat', 'ces'] as const)('never yields NaN or Infinity for %s', (scale) => {
    const histograms = [emptyHistogram(scale), emptyHistogram(scale).map((_, index) => (index === 0 ? 1 : 0))];
    for (const histogram of histograms) {
      expect(numbersIn(metricsFor(scale, histogram)).every(Number.isFinite)).toBe(true);
    }
  });
});
