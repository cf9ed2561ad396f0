import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, responseRateDropPValue } from '../../src/domain/metrics';

describe('benjaminiHochberg', () => {
  it("equals R's p.adjust(method = 'BH')", () => {
    // p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "BH") = 0.025 0.05 0.05 0.025 0.5:
    // sorted 0.005, 0.01, 0.03, 0.04, 0.5 → 5p/rank = 0.025, 0.025, 0.05, 0.05, 0.5 (monotone from the top)
    const adjusted = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5]);
    for (const [index, expected] of [0.025, 0.05, 0.05, 0.025, 0.5].entries()) {
      expect(adjusted[index]).toBeCloseTo(expected, 12);
    }
  });

  it('never lowers a p-value, caps at 1 and keeps the order of the evidence', () => {
    const pValues = [0.9, 0.2, 0.001, 0.04, 0.6, 0.04];
    const adjusted = benjaminiHochberg(pValues);
    for (const [index, q] of adjusted.entries()) {
      expect(q).toBeGreaterThanOrEqual(pValues[index]!);
      expect(q).toBeLessThanOrEqual(1);
    }
    expect(adjusted[2]).toBeLessThan(adjusted[3]!);
    expect(adjusted[3]).toBe(adjusted[5]);
  });

  it('keeps false alarms rare among many unchanged segments, where testing each at 5 % does not', () => {
    // 50 segments with no change: p-values uniform on (0, 1); one real drop at p = 1e-6.
    const noise = Array.from({ length: 50 }, (_, index) => (index + 0.5) / 50);
    const adjusted = benjaminiHochberg([...noise, 1e-6]);
    expect(noise.filter((p) => p < 0.05)).toHaveLength(2);
    expect(adjusted.filter((q) => q < 0.05)).toEqual([adjusted[50]]);
  });

  it('has nothing to adjust without tests', () => {
    expect(benjaminiHochberg([])).toEqual([]);
  });
});

describe('responseRateDropPValue', () => {
  it('is the binomial tail P(X ≤ current) with N = current + previous and p = ½', () => {
    // 2 of 12: P(X ≤ 2) = (1 + 12 + 66) / 4096 = 0.019287
    expect(responseRateDropPValue(2, 10)).toBeCloseTo(79 / 4096, 10);
    // no answers this window after 10 last window: 1/1024
    expect(responseRateDropPValue(0, 10)).toBeCloseTo(1 / 1024, 12);
  });

  it('sees no drop when the rate held or rose, or nothing ever arrived', () => {
    expect(responseRateDropPValue(10, 10)).toBeGreaterThan(0.5);
    expect(responseRateDropPValue(12, 0)).toBe(1);
    expect(responseRateDropPValue(0, 0)).toBe(1);
  });
});
