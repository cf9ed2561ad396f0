import { addDays, daysBetween, todayIn } from './format';
import { isLocale, type Locale } from './i18n';
import { type Interval, intervals } from './types';

/**
 * Everything a view shows is in the URL's hash, so a view can be bookmarked and shared:
 * `#/?survey=…&period=30d&interval=day&channel=web&segment=plan&segmentValue=pro&groupBy=channel&lang=ru` for the
 * dashboard, `#/cases/<caseId>?…` for one follow-up case, `#/feedback/<topic>?…` for the feedback explorer (the filters
 * stay, so "back" returns to the same view).
 */

export const periods = ['7d', '30d', '90d', 'custom'] as const;
export type Period = (typeof periods)[number];

export type Route =
  | { readonly name: 'dashboard' }
  | { readonly name: 'case'; readonly caseId: string }
  /** The feedback explorer: the period's feedback that mentions a topic. */
  | { readonly name: 'feedback'; readonly topic: string };

export interface ViewState {
  readonly route: Route;
  readonly survey?: string;
  readonly period: Period;
  /** Only for the custom period: days `YYYY-MM-DD` in the survey's time zone, both included. */
  readonly from?: string;
  readonly to?: string;
  /** When absent, the interval that suits the period's length. */
  readonly interval?: Interval;
  readonly channel?: string;
  readonly source?: string;
  readonly segment?: string;
  readonly segmentValue?: string;
  readonly groupBy: string;
  readonly lang?: Locale;
}

export const DEFAULT_GROUP_BY = 'channel';
export const defaultState: ViewState = { route: { name: 'dashboard' }, period: '30d', groupBy: DEFAULT_GROUP_BY };

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (value: string | null): value is string =>
  value !== null && DAY_PATTERN.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
const isPeriod = (value: unknown): value is Period => (periods as readonly unknown[]).includes(value);
const isInterval = (value: unknown): value is Interval => (intervals as readonly unknown[]).includes(value);
/** Dimension names as the metrics API accepts them. */
const DIMENSION = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

function textParam(params: URLSearchParams, name: string, max = 200): string | undefined {
  const value = params.get(name)?.trim();
  return value && value.length <= max ? value : undefined;
}

/** Reads a hash (`#/cases/x?lang=ru`); anything unknown or malformed falls back to the defaults. */
export function parseHash(hash: string): ViewState {
  const body = hash.replace(/^#/, '');
  const queryAt = body.indexOf('?');
  const path = queryAt < 0 ? body : body.slice(0, queryAt);
  const params = new URLSearchParams(queryAt < 0 ? '' : body.slice(queryAt + 1));
  const caseMatch = /^\/cases\/([^/]+)$/.exec(path);
  const topicMatch = /^\/feedback\/([^/]+)$/.exec(path);
  let caseId: string | undefined;
  let topic: string | undefined;
  try {
    caseId = caseMatch ? decodeURIComponent(caseMatch[1] as string) : undefined;
    topic = topicMatch ? decodeURIComponent(topicMatch[1] as string) : undefined;
  } catch {
    caseId = undefined;
    topic = undefined;
  }
  const period = params.get('period');
  const from = params.get('from');
  const to = params.get('to');
  const interval = params.get('interval');
  const lang = params.get('lang');
  const segment = textParam(params, 'segment', 64);
  const groupBy = textParam(params, 'groupBy', 64);
  const custom = period === 'custom' && isDay(from) && isDay(to);
  const state: ViewState = {
    route: caseId ? { name: 'case', caseId } : topic ? { name: 'feedback', topic } : { name: 'dashboard' },
    period: custom ? 'custom' : isPeriod(period) && period !== 'custom' ? period : defaultState.period,
    groupBy: groupBy && DIMENSION.test(groupBy) ? groupBy : DEFAULT_GROUP_BY,
    ...optional('survey', textParam(params, 'survey', 100)),
    ...(custom ? { from, to } : {}),
    ...(isInterval(interval) ? { interval } : {}),
    ...optional('channel', textParam(params, 'channel')),
    ...optional('source', textParam(params, 'source')),
    ...(segment && DIMENSION.test(segment)
      ? { segment, ...optional('segmentValue', textParam(params, 'segmentValue')) }
      : {}),
    ...(isLocale(lang) ? { lang } : {}),
  };
  return state;
}

function optional<Key extends string>(key: Key, value: string | undefined): Partial<Record<Key, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<Key, string>);
}

/** The hash of a state; defaults are left out so that links stay short. */
export function formatHash(state: ViewState): string {
  const params = new URLSearchParams();
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') params.set(name, value);
  };
  add('survey', state.survey);
  if (state.period !== defaultState.period) add('period', state.period);
  if (state.period === 'custom') {
    add('from', state.from);
    add('to', state.to);
  }
  add('interval', state.interval);
  add('channel', state.channel);
  add('source', state.source);
  add('segment', state.segment);
  if (state.segment) add('segmentValue', state.segmentValue);
  if (state.groupBy !== DEFAULT_GROUP_BY) add('groupBy', state.groupBy);
  add('lang', state.lang);
  const path =
    state.route.name === 'case'
      ? `/cases/${encodeURIComponent(state.route.caseId)}`
      : state.route.name === 'feedback'
        ? `/feedback/${encodeURIComponent(state.route.topic)}`
        : '/';
  const query = params.toString();
  return `#${path}${query ? `?${query}` : ''}`;
}

export interface DayRange {
  readonly from: string;
  readonly to: string;
}

const periodDays: Record<Exclude<Period, 'custom'>, number> = { '7d': 7, '30d': 30, '90d': 90 };

/** The days a state shows, in the survey's time zone: the last N days up to today, or the custom range. */
export function rangeOf(state: ViewState, timeZone: string, now: Date = new Date()): DayRange {
  if (state.period === 'custom' && state.from && state.to) return { from: state.from, to: state.to };
  const days = periodDays[state.period === 'custom' ? '30d' : state.period];
  const to = todayIn(timeZone, now);
  return { from: addDays(to, 1 - days), to };
}

/** The interval asked for, else days up to two months, weeks up to a year, months beyond. */
export function intervalOf(state: ViewState, range: DayRange): Interval {
  if (state.interval) return state.interval;
  const days = daysBetween(range.from, range.to);
  if (days <= 62) return 'day';
  return days <= 366 ? 'week' : 'month';
}

/** The metrics API's `filter[<dimension>]` values of a state. */
export function filtersOf(state: ViewState): Record<string, string> {
  const filter: Record<string, string> = {};
  if (state.channel) filter.channel = state.channel;
  if (state.source) filter.source = state.source;
  if (state.segment && state.segmentValue) filter[state.segment] = state.segmentValue;
  return filter;
}

export interface MetricsRequest {
  surveyId: string;
  range: DayRange;
  interval?: Interval;
  groupBy?: string;
  scale?: string;
  filter?: Record<string, string>;
}

/** The query string of `GET /v1/metrics`. */
export function metricsQuery(request: MetricsRequest): string {
  const params = new URLSearchParams({ surveyId: request.surveyId, from: request.range.from, to: request.range.to });
  if (request.interval) params.set('interval', request.interval);
  if (request.groupBy) params.set('groupBy', request.groupBy);
  if (request.scale) params.set('scale', request.scale);
  for (const [dimension, value] of Object.entries(request.filter ?? {})) params.set(`filter[${dimension}]`, value);
  return params.toString();
}
