import { describe, expect, it } from 'vitest';
import { npsInterval } from '../../src/domain/metrics/scale-metrics';

const logFactorials = Array.from({ length: 101 }, (_, n) => {
  let sum = 0;
  for (let k = 2; k <= n; k++) sum += Math.log(k);
  return sum;
});
const logPower = (count: number, share: number) => (count === 0 ? 0 : count * Math.log(share));

/**
 * The exact coverage of the 95 % interval: the probability, summed over every sample of n answers a trinomial
 * population with these shares can give, that the interval holds the population's NPS. Exact enumeration rather than
 * simulation, so the figure has no sampling noise (n = 100 has 5,151 outcomes).
 */
function coverage(n: number, promoterShare: number, detractorShare: number): number {
  const passiveShare = 1 - promoterShare - detractorShare;
  const truth = 100 * (promoterShare - detractorShare);
  let covered = 0;
  for (let promoters = 0; promoters <= n; promoters++) {
    for (let detractors = 0; promoters + detractors <= n; detractors++) {
      const passives = n - promoters - detractors;
      const { lower, upper } = npsInterval({ n, promoters, passives, detractors });
      if (lower > truth || upper < truth) continue;
      covered += Math.exp(
        logFactorials[n]! -
          logFactorials[promoters]! -
          logFactorials[detractors]! -
          logFactorials[passives]! +
          logPower(promoters, promoterShare) +
          logPower(detractors, detractorShare) +
          logPower(passives, passiveShare),
      );
    }
  }
  return covered;
}

// Promoter and detractor shares: typical mixes, and shares near 0 and 1, where the plain Wald interval fails.
const populations: [promoters: number, detractors: number][] = [
  [0.5, 0.3],
  [0.3, 0.3],
  [0.45, 0.45],
  [0.7, 0.1],
  [0.1, 0.7],
  [0.2, 0.05],
  [0.95, 0.02],
  [0.02, 0.95],
  [0.98, 0.01],
  [0.02, 0.02],
];

describe('the adjusted Wald NPS interval keeps its coverage', () => {
  // Stated tolerance: from 20 answers the 95 % interval covers at least 93.5 % of the time for every population above;
  // at 5 answers, at least 90 % (a trinomial with five answers has only 21 outcomes, so no interval is exactly 95 %).
  it.each([
    [5, 0.9],
    [20, 0.935],
    [100, 0.935],
  ])('at n = %i covers at least %f for every population, shares near 0 and 1 included', (n, floor) => {
    for (const [promoters, detractors] of populations) {
      expect(coverage(n, promoters, detractors), `${promoters}/${detractors}`).toBeGreaterThanOrEqual(floor);
    }
  });

  it('is never of zero width, whatever the sample', () => {
    for (const n of [1, 5, 20, 100]) {
      for (const [promoters, detractors] of [
        [n, 0],
        [0, n],
        [0, 0],
      ] as const) {
        expect(
          npsInterval({ n, promoters, detractors, passives: n - promoters - detractors }).halfWidth,
        ).toBeGreaterThan(0);
      }
    }
  });
});
