import { delightedTimestamp } from '@cxloop/http-contracts';
import * as z from 'zod';
import type { Histogram } from './histogram';
import { npsCounts } from './scale-metrics';

/**
 * The body of Delighted's `GET /v1/metrics.json` (https://delighted.com/docs/api/getting-metrics), so that tools built
 * for Delighted can read cxloop's NPS. Every field is an integer.
 */
export interface DelightedMetrics {
  readonly nps: number;
  readonly promoter_count: number;
  readonly promoter_percent: number;
  readonly passive_count: number;
  readonly passive_percent: number;
  readonly detractor_count: number;
  readonly detractor_percent: number;
  readonly response_count: number;
}

/**
 * Rounds to the nearest integer with halves away from zero, as Ruby's Float#round does, so that mirrored answers
 * (promoters ↔ detractors) get the mirrored NPS; Math.round would take −12.5 to −12 but 12.5 to 13. Callers pass one
 * division of integers, (100 · count) / n, which is correctly rounded, so an exact half such as 12.5 stays exact.
 */
function roundHalfAwayFromZero(value: number): number {
  const magnitude = Math.round(Math.abs(value));
  return value < 0 && magnitude !== 0 ? -magnitude : magnitude;
}

/**
 * Delighted's metrics from an NPS histogram. Delighted's help centre says "NPS rounds to a whole number" of
 * "% Promoters − % Detractors" (help.delighted.com/article/531-nps-surveys) and rounds CSAT "to a whole number" after
 * computing it exactly (article 240, 69.16 → 69). So each figure is rounded once from its exact value: the three
 * percents need not add up to 100, and nps may differ by one from promoter_percent − detractor_percent. The API
 * example (32/13/6 of 51 → 63/25/12, nps 51) agrees. With no responses every figure is 0, since none may be null.
 */
export function toDelightedMetrics(histogram: Histogram): DelightedMetrics {
  const { n, promoters, passives, detractors } = npsCounts(histogram);
  const percentOf = (count: number) => (n === 0 ? 0 : roundHalfAwayFromZero((100 * count) / n));
  return {
    nps: n === 0 ? 0 : roundHalfAwayFromZero((100 * (promoters - detractors)) / n),
    promoter_count: promoters,
    promoter_percent: percentOf(promoters),
    passive_count: passives,
    passive_percent: percentOf(passives),
    detractor_count: detractors,
    detractor_percent: percentOf(detractors),
    response_count: n,
  };
}

/**
 * The query of Delighted's metrics endpoint: `since` and `until` are Unix timestamps in seconds (responses created on
 * or after / on or before), `trend` a segment as `<property>:<value>` (Delighted's trends are saved segments). They choose which histogram to format; the body does not
 * repeat them.
 */
export const delightedMetricsQuerySchema = z
  .object({
    since: delightedTimestamp.optional(),
    until: delightedTimestamp.optional(),
    trend: z.string().min(1).optional(),
  })
  .refine(({ since, until }) => since === undefined || until === undefined || since <= until, {
    message: 'since must not be after until',
    path: ['since'],
  });
export type DelightedMetricsQuery = z.output<typeof delightedMetricsQuerySchema>;
