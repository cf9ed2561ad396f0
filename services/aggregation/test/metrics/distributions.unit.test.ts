import { describe, expect, it } from 'vitest';
import {
  normalTwoSidedPValue,
  regularizedIncompleteBeta,
  standardNormalCdf,
  standardNormalQuantile,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedPValue,
  upperQuantileLevel,
} from '../../src/domain/metrics/distributions';
import { InvalidMetricInputError } from '../../src/domain/metrics/errors';

describe('studentTQuantile against the printed table of t(0.975, ν)', () => {
  // Two-sided 95 % critical values as printed to three decimals in any t table (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
  it.each([
    [1, 12.706],
    [2, 4.303],
    [3, 3.182],
    [5, 2.571],
    [9, 2.262],
    [10, 2.228],
    [20, 2.086],
    [29, 2.045],
    [30, 2.042],
    [60, 2.0],
    [120, 1.98],
    [1_000_000, 1.96],
  ])('ν = %i → %d', (degreesOfFreedom, tabled) => {
    expect(studentTQuantile(0.975, degreesOfFreedom)).toBeCloseTo(tabled, 3);
  });

  it.each([
    [0.95, 10, 1.812],
    [0.995, 10, 3.169],
    [0.995, 1, 63.657],
    [0.9995, 5, 6.869],
  ])('p = %d, ν = %i → %d', (p, degreesOfFreedom, tabled) => {
    expect(studentTQuantile(p, degreesOfFreedom)).toBeCloseTo(tabled, 3);
  });

  it('is symmetric about zero', () => {
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228, 3);
  });

  it('tends to the normal quantile as ν grows', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(standardNormalQuantile(0.975), 5);
  });

  it('takes fractional degrees of freedom (Welch)', () => {
    const between = studentTQuantile(0.975, 10.5);
    expect(between).toBeLessThan(studentTQuantile(0.975, 10));
    expect(between).toBeGreaterThan(studentTQuantile(0.975, 11));
  });
});

describe('standardNormalQuantile', () => {
  it.each([
    [0.975, 1.959964],
    [0.95, 1.644854],
    [0.995, 2.575829],
    [0.5, 0],
    [0.025, -1.959964],
    [1e-10, -6.361341],
  ])('Φ⁻¹(%d) = %d', (p, quantile) => {
    expect(standardNormalQuantile(p)).toBeCloseTo(quantile, 6);
  });

  it.each([0, 1, -0.1, Number.NaN])('refuses the probability %d', (p) => {
    expect(() => standardNormalQuantile(p)).toThrow(InvalidMetricInputError);
  });
});

describe('distribution functions', () => {
  it('Φ(−3) = 0.001350 and Φ(1.96) = 0.975002 (normal table)', () => {
    expect(standardNormalCdf(-3)).toBeCloseTo(0.00135, 6);
    expect(standardNormalCdf(1.96)).toBeCloseTo(0.975002, 6);
  });

  it('gives p = 0.05 at the two-sided 95 % critical values', () => {
    expect(normalTwoSidedPValue(1.959964)).toBeCloseTo(0.05, 6);
    expect(studentTTwoSidedPValue(2.228139, 10)).toBeCloseTo(0.05, 6);
    expect(studentTTwoSidedPValue(-12.706205, 1)).toBeCloseTo(0.05, 6);
  });

  it('keeps tiny tails (no 1 − Φ cancellation)', () => {
    // 2·(1 − Φ(10)) = 1.523970604832e-23
    expect(normalTwoSidedPValue(10) / 1.523970604832e-23).toBeCloseTo(1, 9);
  });

  it('t with one degree of freedom is Cauchy: F(t) = ½ + arctan(t)/π', () => {
    for (const t of [-5, -1, 0.3, 2, 40]) expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
  });

  it('I_x(1, 1) = x and I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedIncompleteBeta(0.2, 2.5, 7)).toBeCloseTo(1 - regularizedIncompleteBeta(0.8, 7, 2.5), 14);
  });

  it('refuses degrees of freedom below one', () => {
    expect(() => studentTQuantile(0.975, 0.5)).toThrow(InvalidMetricInputError);
    expect(() => studentTTwoSidedPValue(1, Number.POSITIVE_INFINITY)).toThrow(InvalidMetricInputError);
  });

  it('maps a two-sided confidence level to its upper quantile level', () => {
    expect(upperQuantileLevel(0.95)).toBeCloseTo(0.975, 15);
    expect(() => upperQuantileLevel(1)).toThrow(InvalidMetricInputError);
  });
});
