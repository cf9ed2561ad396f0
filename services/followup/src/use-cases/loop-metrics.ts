import { type LoopMetrics, loopMetrics } from '../domain/loop-metrics';
import type { CaseStore } from '../store/cases';

const HOUR_MS = 3_600_000;

export interface LoopMetricsQuery {
  /** ISO time, included. */
  from: string;
  /** ISO time, excluded. */
  to: string;
  /** Only cases opened for this reason (e.g. detractor). */
  reason?: string;
}

export interface LoopMetricsReport extends LoopMetrics {
  from: string;
  to: string;
  reason?: string;
  medianHoursToFirstContact: number | undefined;
  medianHoursToResolution: number | undefined;
}

const hours = (ms: number | undefined) => (ms === undefined ? undefined : Math.round((ms / HOUR_MS) * 100) / 100);

/** Closed-loop metrics over the cases opened in [from, to), read page by page from the opening-time index. */
export async function closedLoopMetrics(
  cases: CaseStore,
  query: LoopMetricsQuery,
  now: Date,
): Promise<LoopMetricsReport> {
  const opened = await cases.openedBetween(query.from, query.to);
  const selected = query.reason ? opened.filter((followUpCase) => followUpCase.reason === query.reason) : opened;
  const metrics = loopMetrics(selected, now);
  return {
    from: query.from,
    to: query.to,
    ...(query.reason ? { reason: query.reason } : {}),
    ...metrics,
    medianHoursToFirstContact: hours(metrics.medianTimeToFirstContactMs),
    medianHoursToResolution: hours(metrics.medianTimeToResolutionMs),
  };
}
