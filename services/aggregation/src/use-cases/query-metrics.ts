import { NONE_VALUE } from '../domain/counting';
import {
  type BucketInterval,
  bucketEnd,
  bucketKey,
  bucketStart,
  comparePeriods,
  type DelightedMetrics,
  type Driver,
  driversOf,
  emptyHistogram,
  type Histogram,
  type Interval,
  mergeHistograms,
  type PeriodComparison,
  previousPeriod,
  type ScoreScale,
  scoreOf,
  toDelightedMetrics,
} from '../domain/metrics';
import { type Selection, SelectionError, selectionFor } from '../domain/selection';
import {
  cellIntervalFor,
  type Figures,
  figuresOf,
  type LabelRange,
  type MetricPoint,
  pointsOf,
  type SeriesRequest,
  sumOver,
} from '../domain/series';
import { ALL_VALUE, multiValuedDimensions } from '../domain/survey-config';
import { type CellStore, type SurveyMeta, type SurveyStore, timeZoneOf } from '../store';
import { readHistograms } from './read-cells';

export interface MetricsDeps {
  surveys: SurveyStore;
  cells: CellStore;
}

export interface MetricsQuery {
  surveyId: string;
  /** Days (YYYY-MM-DD) in the survey's time zone, both included. */
  from?: string;
  to?: string;
  interval?: BucketInterval;
  groupBy?: string;
  filter: Record<string, string>;
  scale?: ScoreScale;
  confidence: number;
}

/** The widest ranges answered at once: ten years of days, a month of hours. */
const MAX_DAYS = 3660;
const MAX_HOURLY_DAYS = 31;
const FIRST_DAY = '0000-01-01';
const LAST_DAY = '9999-12-31';

type PeriodFigures = { from: string; to: string } & Figures;

export interface GroupMetrics extends Omit<Figures, 'scale'> {
  value: string;
  previous: PeriodFigures | null;
  comparison: PeriodComparison | null;
  points?: MetricPoint[];
}

export type MetricsAnswer = {
  surveyId: string;
  scales: ScoreScale[];
  timeZone: string;
  from: string;
  to: string;
  bucketInterval: BucketInterval | null;
  groupBy: string | null;
  filter: Record<string, string>;
  confidence: number;
  previous: PeriodFigures | null;
  comparison: PeriodComparison | null;
  points?: MetricPoint[];
  groups?: GroupMetrics[];
} & Figures;

interface Window {
  cellInterval: 'day' | 'hour';
  current: LabelRange;
  /** The period before, when the range is bounded. */
  previous?: LabelRange;
  series?: SeriesRequest;
}

function dayStart(day: string, field: string, timeZone: string): Date {
  try {
    return bucketStart(day, 'day', timeZone);
  } catch {
    throw new SelectionError(field, `not a day of the calendar in ${timeZone}: ${day}`);
  }
}

function windowOf(query: MetricsQuery, scale: ScoreScale, timeZone: string): Window {
  const cellInterval = cellIntervalFor(query.interval);
  if (query.interval === 'hour' && (query.groupBy !== undefined || Object.keys(query.filter).length > 0)) {
    throw new SelectionError(
      'query.interval',
      'hourly points exist for the whole survey only: drop groupBy and filters',
    );
  }
  if (query.from === undefined || query.to === undefined) {
    if (query.interval !== undefined) {
      throw new SelectionError(query.from === undefined ? 'query.from' : 'query.to', 'required with interval');
    }
    const first = query.from ?? FIRST_DAY;
    const last = query.to ?? LAST_DAY;
    return { cellInterval, current: { first, last } };
  }
  const start = dayStart(query.from, 'query.from', timeZone);
  dayStart(query.to, 'query.to', timeZone);
  const end = bucketEnd(query.to, 'day', timeZone);
  if (start >= end) throw new SelectionError('query.to', 'must not be before from');
  const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
  const maxDays = query.interval === 'hour' ? MAX_HOURLY_DAYS : MAX_DAYS;
  if (days > maxDays) throw new SelectionError('query.to', `at most ${maxDays} days after from`);
  const labelAt = (instant: Date) => bucketKey(instant, cellInterval, timeZone);
  const last = new Date(end.getTime() - 1);
  const before = previousPeriod(start, last, query.interval ?? 'day', timeZone);
  const current = { first: labelAt(start), last: labelAt(last) };
  const previous = { first: labelAt(before.from), last: labelAt(before.to) };
  return {
    cellInterval,
    current,
    previous,
    ...(query.interval
      ? {
          series: {
            scale,
            interval: query.interval,
            timeZone,
            confidence: query.confidence,
            start,
            end,
            current,
            previous,
          },
        }
      : {}),
  };
}

function readGroups(deps: MetricsDeps, meta: SurveyMeta, scale: ScoreScale, selection: Selection, window: Window) {
  return readHistograms(deps.cells, meta, scale, selection, window.cellInterval, {
    first: window.previous?.first ?? window.current.first,
    last: window.current.last,
  });
}

function periodOf(scale: ScoreScale, histograms: ReadonlyMap<string, Histogram>, window: Window, confidence: number) {
  const current = sumOver(scale, histograms, window.current);
  if (!window.previous) return { current, previous: null, comparison: null };
  const previousHistogram = sumOver(scale, histograms, window.previous);
  return {
    current,
    previous: {
      from: window.previous.first,
      to: window.previous.last,
      ...figuresOf(scale, previousHistogram, confidence),
    },
    comparison: comparePeriods(scale, current, previousHistogram, { confidence }),
  };
}

function sumOfGroups(scale: ScoreScale, groups: ReadonlyMap<string, ReadonlyMap<string, Histogram>>) {
  const sum = new Map<string, Histogram>();
  for (const histograms of groups.values()) {
    for (const [label, histogram] of histograms) {
      sum.set(label, mergeHistograms(scale, sum.get(label) ?? emptyHistogram(scale), histogram));
    }
  }
  return sum;
}

/** The scale of a survey's figures: the one asked for, else the one its responses have (NPS for a survey without any). */
function scaleFor(meta: SurveyMeta, asked: ScoreScale | undefined): ScoreScale {
  return asked ?? meta.scales[0] ?? 'nps';
}

/**
 * Figures of one survey over a range of days in its time zone: the total (what `filter` selects), the period before
 * it and whether the change is significant, and optionally points per `interval` and groups by one dimension. Reads
 * one cell item per day (or hour) and dimension, whatever the number of responses.
 */
export async function queryMetrics(deps: MetricsDeps, query: MetricsQuery): Promise<MetricsAnswer> {
  const meta = await deps.surveys.get(query.surveyId);
  const scale = scaleFor(meta, query.scale);
  const timeZone = timeZoneOf(meta);
  const window = windowOf(query, scale, timeZone);
  const totalSelection = selectionFor(meta.config, query.filter);
  const groupSelection =
    query.groupBy === undefined ? undefined : selectionFor(meta.config, query.filter, query.groupBy);
  // A response has one value in a single-valued dimension, so its groups add up to the total: one read fewer.
  const totalsFromGroups = query.groupBy !== undefined && !multiValuedDimensions.includes(query.groupBy);
  const [grouped, totals] = await Promise.all([
    groupSelection && readGroups(deps, meta, scale, groupSelection, window),
    totalsFromGroups ? undefined : readGroups(deps, meta, scale, totalSelection, window),
  ]);
  const totalHistograms =
    (totals ?? new Map([[ALL_VALUE, sumOfGroups(scale, grouped ?? new Map())]])).get(ALL_VALUE) ??
    new Map<string, Histogram>();
  const total = periodOf(scale, totalHistograms, window, query.confidence);
  const answer: MetricsAnswer = {
    surveyId: query.surveyId,
    scales: meta.scales,
    timeZone,
    from: query.from ?? window.current.first,
    to: query.to ?? window.current.last,
    bucketInterval: query.interval ?? null,
    groupBy: query.groupBy ?? null,
    filter: query.filter,
    confidence: query.confidence,
    ...figuresOf(scale, total.current, query.confidence),
    previous: total.previous,
    comparison: total.comparison,
    ...(window.series ? { points: pointsOf(window.series, totalHistograms) } : {}),
  };
  if (grouped) {
    answer.groups = [...grouped]
      .map(([value, histograms]) => {
        const period = periodOf(scale, histograms, window, query.confidence);
        const { scale: _scale, ...figures } = figuresOf(scale, period.current, query.confidence);
        return {
          value,
          ...figures,
          previous: period.previous,
          comparison: period.comparison,
          ...(window.series ? { points: pointsOf(window.series, histograms) } : {}),
        } as GroupMetrics;
      })
      .filter((group) => group.responses > 0 || (group.previous?.responses ?? 0) > 0)
      .sort((a, b) => b.responses - a.responses || a.value.localeCompare(b.value));
  }
  return answer;
}

export interface DelightedQuery {
  surveyId: string;
  since?: Date;
  until?: Date;
  /** `dimension:value`, e.g. `plan:pro`. */
  trend?: string;
}

/**
 * Delighted's metrics (`GET /delighted/v1/metrics`) of an NPS survey between two instants. Without a trend the range is
 * exact to the hour (hour cells at its edges, day cells between); a trend reads day cells, so its range is widened to
 * whole days in the survey's time zone.
 */
export async function delightedMetrics(deps: MetricsDeps, query: DelightedQuery, now: Date): Promise<DelightedMetrics> {
  const meta = await deps.surveys.get(query.surveyId);
  if (meta.scales.length > 0 && !meta.scales.includes('nps')) {
    throw new SelectionError('query.surveyId', 'Delighted metrics exist for NPS surveys only');
  }
  const timeZone = timeZoneOf(meta);
  let filter: Record<string, string> = {};
  if (query.trend !== undefined) {
    const at = query.trend.indexOf(':');
    if (at <= 0) throw new SelectionError('query.trend', 'expected dimension:value, e.g. plan:pro');
    filter = { [query.trend.slice(0, at)]: query.trend.slice(at + 1) };
  }
  const selection = selectionFor(meta.config, filter);
  const until = query.until ?? now;
  const firstDay = query.since ? bucketKey(query.since, 'day', timeZone) : FIRST_DAY;
  const lastDay = bucketKey(until, 'day', timeZone);
  if (firstDay > lastDay) return toDelightedMetrics(emptyHistogram('nps'));
  const read = async (cellInterval: 'day' | 'hour', first: string, last: string) => {
    const groups = await readGroups(deps, meta, 'nps', selection, { cellInterval, current: { first, last } });
    return sumOver('nps', groups.get(ALL_VALUE) ?? new Map(), { first, last });
  };
  if (query.trend !== undefined || !query.since) return toDelightedMetrics(await read('day', firstDay, lastDay));

  const sinceHour = bucketKey(query.since, 'hour', timeZone);
  const untilHour = bucketKey(until, 'hour', timeZone);
  if (firstDay === lastDay) return toDelightedMetrics(await read('hour', sinceHour, untilHour));
  const dayAfterFirst = bucketKey(bucketEnd(firstDay, 'day', timeZone), 'day', timeZone);
  const dayBeforeLast = bucketKey(new Date(bucketStart(lastDay, 'day', timeZone).getTime() - 1), 'day', timeZone);
  const [head, middle, tail] = await Promise.all([
    read('hour', sinceHour, `${firstDay}T23`),
    dayAfterFirst <= dayBeforeLast ? read('day', dayAfterFirst, dayBeforeLast) : emptyHistogram('nps'),
    read('hour', `${lastDay}T00`, untilHour),
  ]);
  return toDelightedMetrics(mergeHistograms('nps', head, middle, tail));
}

export interface DriversQuery {
  surveyId: string;
  from?: string;
  to?: string;
  filter: Record<string, string>;
  scale?: ScoreScale;
  confidence: number;
}

export interface DriversAnswer {
  surveyId: string;
  scale: ScoreScale;
  from: string;
  to: string;
  filter: Record<string, string>;
  confidence: number;
  /** All answers the selection holds, and their score. */
  n: number;
  score: number | null;
  interval: Interval | null;
  topics: Driver[];
  intents: Driver[];
}

/**
 * What drives a survey's score over a period (and segment): for each topic and intent, the score with and without
 * it and the points at stake, from the same cells as the metrics (a segment filter with topics needs the segment ×
 * topic combination, as for `GET /v1/metrics`).
 */
export async function queryDrivers(deps: MetricsDeps, query: DriversQuery): Promise<DriversAnswer> {
  const [byTopic, byIntent] = await Promise.all(
    (['topic', 'intent'] as const).map((groupBy) => queryMetrics(deps, { ...query, groupBy })),
  );
  const { scale, histogram, n, from, to } = byTopic!;
  const options = { confidence: query.confidence, noneValue: NONE_VALUE };
  return {
    surveyId: query.surveyId,
    scale,
    from,
    to,
    filter: query.filter,
    confidence: query.confidence,
    n,
    ...scoreOf(scale, histogram, query.confidence),
    topics: driversOf(scale, histogram, byTopic!.groups ?? [], options),
    intents: driversOf(scale, histogram, byIntent!.groups ?? [], options),
  };
}
