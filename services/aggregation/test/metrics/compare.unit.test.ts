import { describe, expect, it } from 'vitest';
import {
  comparePeriods,
  emptyHistogram,
  histogramFromScores,
  InvalidMetricInputError,
  MIN_ANSWERS_FOR_MEAN_TEST,
  SMALLEST_P_VALUE,
} from '../../src/domain/metrics';

/** An NPS histogram of `promoters` tens, `passives` eights and `detractors` zeros. */
function nps(promoters: number, passives: number, detractors: number) {
  return histogramFromScores('nps', [
    ...new Array(promoters).fill(10),
    ...new Array(passives).fill(8),
    ...new Array(detractors).fill(0),
  ]);
}

/** A CSAT histogram of `satisfied` fives and `others` threes. */
function csat(satisfied: number, others: number) {
  return histogramFromScores('csat', [...new Array(satisfied).fill(5), ...new Array(others).fill(3)]);
}

/** A CES histogram from [score, count] pairs. */
function ces(...groups: [score: number, count: number][]) {
  return histogramFromScores(
    'ces',
    groups.flatMap(([score, count]) => new Array(count).fill(score)),
  );
}

describe('comparing NPS: z-test of two independent NPS estimates', () => {
  // Variances of the adjusted Wald interval (¾ promoter, ¾ detractor, 1½ passives added; n + 3 = 103):
  // current 50 / 30 / 20 of 100: NPS 30; p_P = 50.75/103, p_D = 20.75/103, Var = p_P + p_D − (p_P − p_D)² = 0.609341
  // previous 40 / 30 / 30 of 100: NPS 10; p_P = 40.75/103, p_D = 30.75/103, Var = 0.684749
  // SE = √(0.609341/103 + 0.684749/103) = 0.1120889; z = (0.30 − 0.10) / 0.1120889 = 1.784297
  // p = 2·(1 − Φ(1.784297)) = 0.074376
  const current = nps(50, 30, 20);
  const previous = nps(40, 30, 30);

  it('matches the hand-computed delta and p-value', () => {
    const comparison = comparePeriods('nps', current, previous);
    expect(comparison.metric).toBe('nps');
    expect(comparison.delta).toBeCloseTo(20, 10);
    expect(comparison.pValue).toBeCloseTo(0.074376, 6);
  });

  it('is not significant at 95 % but is at 90 %', () => {
    expect(comparePeriods('nps', current, previous).significant).toBe(false);
    expect(comparePeriods('nps', current, previous, { confidence: 0.9 }).significant).toBe(true);
  });

  it(`does not test below ${MIN_ANSWERS_FOR_MEAN_TEST} answers in a period, however large the swing`, () => {
    const tooFew = comparePeriods('nps', nps(29, 0, 0), nps(0, 0, 100));
    expect(tooFew).toEqual({ metric: 'nps', delta: 200, pValue: null, significant: false });
    const justEnough = comparePeriods('nps', nps(20, 5, 5), nps(0, 0, 100));
    expect(justEnough.pValue).not.toBeNull();
    expect(justEnough.significant).toBe(true);
  });

  it('calls a swing between two periods of one group each significant, and no change no change', () => {
    const swing = comparePeriods('nps', nps(40, 0, 0), nps(0, 0, 40));
    expect(swing.pValue).toBe(SMALLEST_P_VALUE);
    expect(swing.significant).toBe(true);
    expect(comparePeriods('nps', nps(40, 0, 0), nps(50, 0, 0))).toMatchObject({ pValue: 1, significant: false });
  });

  it('has no delta when a period has no answers', () => {
    expect(comparePeriods('nps', current, emptyHistogram('nps'))).toEqual({
      metric: 'nps',
      delta: null,
      pValue: null,
      significant: false,
    });
  });
});

describe('comparing CSAT: two-proportion z-test of the top-2-box share', () => {
  // current 80 of 100 satisfied, previous 65 of 100; pooled p̄ = 145/200 = 0.725
  // SE = √(0.725 · 0.275 · (1/100 + 1/100)) = √0.0039875 = 0.0631466; z = 0.15 / 0.0631466 = 2.375423
  // p = 2·(1 − Φ(2.375423)) = 0.017529 (and z² = 5.642633, Pearson's χ² of the 2 × 2 table without correction)
  it('matches the hand-computed delta and p-value', () => {
    const comparison = comparePeriods('csat', csat(80, 20), csat(65, 35));
    expect(comparison.metric).toBe('topTwoBoxPercent');
    expect(comparison.delta).toBeCloseTo(15, 10);
    expect(comparison.pValue).toBeCloseTo(0.017529, 6);
    expect(comparison.significant).toBe(true);
  });

  it('does not test when an expected cell count is below 5 (Cochran)', () => {
    // pooled 59/60 satisfied: expected dissatisfied per period = 30 · 1/60 = 0.5
    expect(comparePeriods('csat', csat(29, 1), csat(30, 0)).pValue).toBeNull();
    // pooled 10/20 satisfied with 10 answers per period: expected counts 10 · 0.5 = 5 — testable
    expect(comparePeriods('csat', csat(10, 0), csat(0, 10))).toMatchObject({ delta: 100, significant: true });
  });

  it('counts 4 as satisfied and 3 as not', () => {
    const fours = histogramFromScores('csat', new Array(10).fill(4));
    const threes = histogramFromScores('csat', new Array(10).fill(3));
    expect(comparePeriods('csat', fours, threes).delta).toBe(100);
  });
});

describe("comparing CES: Welch's t-test of the mean", () => {
  // current 10 × 5, 10 × 6, 10 × 7: mean 6, s² = (10·1 + 0 + 10·1)/29 = 0.689655
  // previous 10 × 4, 20 × 5, 10 × 6: mean 5, s² = (10·1 + 0 + 10·1)/39 = 0.512821
  // s₁²/n₁ = 0.0229885, s₂²/n₂ = 0.0128205; SE = √0.0358090 = 0.1892327; t = 1 / 0.1892327 = 5.284499
  // ν = 0.0358090² / (0.0229885²/29 + 0.0128205²/39) = 0.00128228 / 0.0000224373 = 57.1488
  // p = 2·P(T₅₇.₁₄₉ > 5.284499) = 2.0513e-6
  it('matches the hand-computed delta and p-value', () => {
    const comparison = comparePeriods('ces', ces([5, 10], [6, 10], [7, 10]), ces([4, 10], [5, 20], [6, 10]));
    expect(comparison.metric).toBe('meanScore');
    expect(comparison.delta).toBeCloseTo(1, 12);
    expect(comparison.pValue).toBeCloseTo(2.0513e-6, 9);
    expect(comparison.significant).toBe(true);
  });

  it('finds a small shift in a large noisy sample not significant', () => {
    // 50 answers each of 1…7 vs the same with one 1 moved to 2: delta = 1/350
    const spread = ces([1, 50], [2, 50], [3, 50], [4, 50], [5, 50], [6, 50], [7, 50]);
    const shifted = ces([1, 49], [2, 51], [3, 50], [4, 50], [5, 50], [6, 50], [7, 50]);
    const comparison = comparePeriods('ces', shifted, spread);
    expect(comparison.delta).toBeCloseTo(1 / 350, 12);
    expect(comparison.pValue).toBeGreaterThan(0.9);
    expect(comparison.significant).toBe(false);
  });

  it(`does not test below ${MIN_ANSWERS_FOR_MEAN_TEST} answers in a period`, () => {
    const comparison = comparePeriods('ces', ces([7, 29]), ces([1, 100]));
    expect(comparison).toEqual({ metric: 'meanScore', delta: 6, pValue: null, significant: false });
  });

  it('treats two periods without spread like the NPS test does', () => {
    expect(comparePeriods('ces', ces([7, 30]), ces([6, 30]))).toMatchObject({
      delta: 1,
      pValue: SMALLEST_P_VALUE,
      significant: true,
    });
    expect(comparePeriods('ces', ces([6, 30]), ces([6, 40]))).toMatchObject({ delta: 0, pValue: 1 });
  });
});

describe('comparePeriods input checks', () => {
  it('refuses a confidence outside (0, 1) and histograms of another scale', () => {
    expect(() => comparePeriods('nps', nps(1, 1, 1), nps(1, 1, 1), { confidence: 1.2 })).toThrow(
      InvalidMetricInputError,
    );
    expect(() => comparePeriods('csat', emptyHistogram('nps'), emptyHistogram('csat'))).toThrow(
      InvalidMetricInputError,
    );
  });
});
