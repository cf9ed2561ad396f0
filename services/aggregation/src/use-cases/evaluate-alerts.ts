import { randomUUID } from 'node:crypto';
import { type Causation, type EventData, MetricAlertRaised } from '@cxloop/events';
import type { PublishEvents } from '@cxloop/lambda-kit';
import {
  bucketKey,
  bucketStart,
  comparedMetric,
  comparePeriods,
  type Histogram,
  metricsFor,
  type ScoreScale,
} from '../domain/metrics';
import { selectionFor } from '../domain/selection';
import { type LabelRange, sumOver } from '../domain/series';
import { ALL_VALUE, type AlertRule } from '../domain/survey-config';
import { type AlertState, type CellStore, type SurveyMeta, type SurveyStore, timeZoneOf } from '../store';
import { readHistograms } from './read-cells';

export interface AlertDeps {
  surveys: SurveyStore;
  cells: CellStore;
  publish: PublishEvents;
}

type AlertEvent = EventData<typeof MetricAlertRaised>;

/** The headline value of a histogram on the scale `comparePeriods` compares (NPS, top-2-box %, CES mean). */
export function headline(scale: ScoreScale, histogram: Histogram): number | null {
  const metrics = metricsFor(scale, histogram);
  switch (metrics.scale) {
    case 'nps':
      return metrics.nps;
    case 'csat':
      return metrics.topTwoBox?.percent ?? null;
    case 'ces':
      return metrics.mean?.mean ?? null;
  }
}

const dayBefore = (day: string, timeZone: string) =>
  bucketKey(new Date(bucketStart(day, 'day', timeZone).getTime() - 1), 'day', timeZone);

/** The last `days` days up to today, and the `days` before them, in the survey's time zone. */
export function alertWindows(now: Date, days: number, timeZone: string): { current: LabelRange; previous: LabelRange } {
  const last = bucketKey(now, 'day', timeZone);
  let first = last;
  for (let day = 1; day < days; day++) first = dayBefore(first, timeZone);
  const previousLast = dayBefore(first, timeZone);
  let previousFirst = previousLast;
  for (let day = 1; day < days; day++) previousFirst = dayBefore(previousFirst, timeZone);
  return { current: { first, last }, previous: { first: previousFirst, last: previousLast } };
}

/** The alert a rule raises now, or undefined when its metric did not drop significantly. */
async function dropOf(deps: AlertDeps, meta: SurveyMeta, rule: AlertRule, now: Date): Promise<AlertDrop | undefined> {
  const scale = rule.metric ?? meta.scales[0];
  if (!scale || !meta.scales.includes(scale)) return undefined;
  const windows = alertWindows(now, rule.windowDays, timeZoneOf(meta));
  const filter = rule.segment ? { [rule.segment.dimension]: rule.segment.value } : {};
  const groups = await readHistograms(deps.cells, meta, scale, selectionFor(meta.config, filter), 'day', {
    first: windows.previous.first,
    last: windows.current.last,
  });
  const histograms = groups.get(ALL_VALUE) ?? new Map<string, Histogram>();
  const current = sumOver(scale, histograms, windows.current);
  const previous = sumOver(scale, histograms, windows.previous);
  const comparison = comparePeriods(scale, current, previous, { confidence: rule.confidence });
  if (!comparison.significant || comparison.delta === null || comparison.pValue === null) return undefined;
  if (comparison.delta >= 0 || -comparison.delta < rule.minDrop) return undefined;
  const figures = (range: LabelRange, histogram: Histogram) => ({
    from: range.first,
    to: range.last,
    n: histogram.reduce((sum, count) => sum + count, 0),
    value: headline(scale, histogram),
  });
  return {
    surveyId: meta.surveyId,
    ruleId: rule.id,
    scale,
    metric: comparedMetric[scale],
    ...(rule.segment ? { segment: rule.segment } : {}),
    current: figures(windows.current, current),
    previous: figures(windows.previous, previous),
    delta: comparison.delta,
    pValue: comparison.pValue,
    confidence: rule.confidence,
  };
}

/** What an alert says about a drop, before it is raised (the id and time are given when it is). */
export type AlertDrop = Omit<AlertEvent, 'alertId' | 'raisedAt'>;

/**
 * Moves one watch's alert state on with what was found now: raises MetricAlertRaised once per drop, and it stays
 * raised until the drop is no longer found. The alert is recorded before it is published and marked announced after,
 * so a crash in between publishes it again on the retry (consumers de-duplicate on alertId), and two concurrent
 * evaluations raise it once.
 */
export async function settleAlert(
  deps: AlertDeps,
  surveyId: string,
  watchId: string,
  drop: AlertDrop | undefined,
  now: Date,
  causation: Causation,
): Promise<void> {
  const state = await deps.surveys.getAlert(surveyId, watchId);
  const announce = async (raised: AlertState) => {
    await deps.publish([{ contract: MetricAlertRaised, data: raised.event as AlertEvent, causation, occurredAt: now }]);
    await deps.surveys.transitionAlert(surveyId, watchId, raised, { ...raised, announced: true });
  };
  if (state.status === 'raised') {
    if (!state.announced) await announce(state);
    else if (!drop) await deps.surveys.transitionAlert(surveyId, watchId, state, { ...state, status: 'ok' });
    return;
  }
  if (!drop) return;
  const raisedAt = now.toISOString();
  const alertId = `alert_${randomUUID()}`;
  const raised: AlertState = {
    status: 'raised',
    alertId,
    announced: false,
    raisedAt,
    event: { alertId, raisedAt, ...drop },
  };
  if (await deps.surveys.transitionAlert(surveyId, watchId, state, raised)) await announce(raised);
}

/** Checks a survey's alert rules after its figures changed (see {@link settleAlert}). */
export async function evaluateAlerts(
  deps: AlertDeps,
  surveyId: string,
  now: Date,
  causation: Causation,
): Promise<void> {
  const meta = await deps.surveys.get(surveyId);
  for (const rule of meta.config.alertRules) {
    await settleAlert(deps, surveyId, rule.id, await dropOf(deps, meta, rule, now), now, causation);
  }
}
