import { regularizedIncompleteBeta } from './distributions';

/**
 * Benjamini–Hochberg adjusted p-values ("q-values"), in the order given: q₍ᵢ₎ = min over j ≥ i of m·p₍ⱼ₎/j, capped
 * at 1 (Y. Benjamini and Y. Hochberg, "Controlling the false discovery rate", JRSS B 57, 1995; what R's
 * `p.adjust(p, method = "BH")` returns). Calling the tests with q below α keeps the expected share of false alarms
 * among the alarms at α however many segments are tested, where testing each at α would raise one in twenty.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const ranked = pValues.map((pValue, index) => ({ pValue, index })).sort((a, b) => a.pValue - b.pValue);
  const adjusted = new Array<number>(m);
  let smallestAbove = 1;
  for (let rank = m; rank >= 1; rank--) {
    const { pValue, index } = ranked[rank - 1]!;
    smallestAbove = Math.min(smallestAbove, (pValue * m) / rank);
    adjusted[index] = smallestAbove;
  }
  return adjusted;
}

/**
 * One-sided p-value that answers arrive more slowly in the current window than in the previous one of the same
 * length. Under "same rate" the answers of both windows are Poisson, and given their total N the current count is
 * Binomial(N, ½) (the conditional test of two Poisson rates, e.g. Przyborowski and Wilenski 1940): p = P(X ≤ current)
 * = I₀.₅(N − current, current + 1). 1 when nothing arrived in either window.
 */
export function responseRateDropPValue(current: number, previous: number): number {
  const total = current + previous;
  if (total === 0 || current >= total) return 1;
  return regularizedIncompleteBeta(0.5, total - current, current + 1);
}
