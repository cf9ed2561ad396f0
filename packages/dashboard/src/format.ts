import { intlLocale, type Locale, type Translator } from './i18n';
import type { Interval, Scale } from './types';

/** Numbers, percents, dates and durations for one language, all through `Intl`. */
export interface Formatter {
  readonly locale: Locale;
  number(value: number, maximumFractionDigits?: number): string;
  /** `value` in percent (0–100). */
  percent(value: number, maximumFractionDigits?: number): string;
  /** A scale's headline value: NPS points, CSAT top-2-box percent, CES mean. */
  metric(scale: Scale, value: number): string;
  /** Half-width of an interval, on the metric's own scale: `± 8.4`. */
  margin(scale: Scale, value: number): string;
  /** A change with its sign and unit: `+3.5 pts`, `−0.2 points`. */
  delta(scale: Scale, value: number): string;
  pValue(value: number): string;
  /** The confidence level (0.95) as a percent. */
  confidence(level: number): string;
  /** A calendar day `YYYY-MM-DD`, whatever the viewer's time zone. */
  day(day: string): string;
  /** A bucket of a series from its [start, end) instants, in the survey's time zone. */
  bucket(interval: Interval, start: string, end: string, timeZone: string): string;
  dateTime(iso: string, timeZone?: string): string;
  /** A length of time, in the largest whole unit that fits (minutes, hours, days). */
  duration(milliseconds: number): string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const metricFractionDigits: Record<Scale, number> = { nps: 1, csat: 1, ces: 2 };

export function formatter(tr: Translator): Formatter {
  const tag = intlLocale[tr.locale];
  const numberFormats = new Map<string, Intl.NumberFormat>();
  const numberFormat = (options: Intl.NumberFormatOptions) => {
    const key = JSON.stringify(options);
    let format = numberFormats.get(key);
    if (!format) {
      format = new Intl.NumberFormat(tag, options);
      numberFormats.set(key, format);
    }
    return format;
  };
  const number = (value: number, maximumFractionDigits = 1) => numberFormat({ maximumFractionDigits }).format(value);
  const percent = (value: number, maximumFractionDigits = 1) =>
    numberFormat({ style: 'percent', maximumFractionDigits }).format(value / 100);
  const units: Record<Scale, string> = { nps: tr.t('npsUnit'), csat: tr.t('csatUnit'), ces: tr.t('cesUnit') };
  const dayFormat = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

  return {
    locale: tr.locale,
    number,
    percent,
    metric: (scale, value) =>
      scale === 'csat' ? percent(value, metricFractionDigits.csat) : number(value, metricFractionDigits[scale]),
    margin: (scale, value) => `± ${number(value, metricFractionDigits[scale])}`,
    delta: (scale, value) =>
      `${numberFormat({ maximumFractionDigits: metricFractionDigits[scale], signDisplay: 'exceptZero' }).format(value)} ${units[scale]}`,
    pValue: (value) =>
      value < 0.001 ? `< ${number(0.001, 3)}` : numberFormat({ maximumSignificantDigits: 2 }).format(value),
    confidence: (level) => percent(level * 100, 1),
    day: (day) => dayFormat.format(new Date(`${day}T12:00:00Z`)),
    bucket: (interval, start, end, timeZone) => {
      const at = new Date(start);
      if (interval === 'month') {
        return new Intl.DateTimeFormat(tag, { month: 'short', year: 'numeric', timeZone }).format(at);
      }
      const short = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', timeZone });
      if (interval === 'day') return short.format(at);
      const last = new Date(new Date(end).getTime() - 1);
      return `${short.format(at)} – ${short.format(last)}`;
    },
    dateTime: (iso, timeZone) =>
      new Intl.DateTimeFormat(tag, {
        dateStyle: 'medium',
        timeStyle: 'short',
        ...(timeZone ? { timeZone } : {}),
      }).format(new Date(iso)),
    duration: (milliseconds) => {
      const size = Math.abs(milliseconds);
      if (size >= DAY) return tr.plural('days', Math.round(size / DAY));
      if (size >= HOUR) return tr.plural('hours', Math.round(size / HOUR));
      return tr.plural('minutes', Math.max(0, Math.round(size / MINUTE)));
    },
  };
}

/** Today's date (`YYYY-MM-DD`) in a time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((item) => item.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A calendar day `days` after (or before, when negative) another. */
export function addDays(day: string, days: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY) + 1;
}
