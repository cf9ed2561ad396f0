import * as z from 'zod';
import { InvalidMetricInputError } from './errors';

/**
 * Time buckets in a survey's own time zone. A bucket is every instant whose local wall-clock reading carries its label:
 * hour '2026-11-20T09', day '2026-11-20', ISO week '2026-W47', month '2026-11'. So a day is 23 or 25 hours long on a
 * DST switch day, the hour the clocks skip has no bucket, and the hour they repeat is one bucket of two hours. Every
 * instant lies in exactly one bucket per interval, which keeps histograms exact when buckets are merged.
 */

export const bucketIntervals = ['hour', 'day', 'week', 'month'] as const;
export type BucketInterval = (typeof bucketIntervals)[number];

/** A Date, or an ISO 8601 date-time with seconds and a Z or ±hh:mm offset (a bare date would be ambiguous). */
export type Instant = Date | string;

export interface Period {
  readonly from: Date;
  /** The last instant of the period (inclusive). */
  readonly to: Date;
}

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

/**
 * A wall-clock reading as the epoch milliseconds of the UTC instant showing the same reading: calendar arithmetic on it
 * is plain arithmetic (a civil day is always 24 hours long), and it is never an instant.
 */
type WallClock = number;

const isoInstantSchema = z.iso.datetime({ offset: true });

function epochMillisecondsOf(instant: Instant): number {
  const milliseconds =
    typeof instant === 'string'
      ? isoInstantSchema.safeParse(instant).success
        ? Date.parse(instant)
        : Number.NaN
      : instant.getTime();
  if (!Number.isFinite(milliseconds)) {
    throw new InvalidMetricInputError(
      `An instant is a valid Date or an ISO 8601 date-time with a Z or ±hh:mm offset, not ${String(instant)}`,
    );
  }
  return milliseconds;
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  const cached = wallClockFormats.get(timeZone);
  if (cached) return cached;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new InvalidMetricInputError(`Unknown IANA time zone: ${timeZone}`);
  }
  wallClockFormats.set(timeZone, format);
  return format;
}

/** Throws {@link InvalidMetricInputError} unless the runtime knows the IANA time zone (e.g. 'Europe/Berlin'). */
export function assertTimeZone(timeZone: string): void {
  wallClockFormat(timeZone);
}

// How en-US formats the options above: "11/20/2026, 09:15:00". formatToParts would spare the pattern but is six times
// slower, and listing a year of hourly buckets reads the clock tens of thousands of times.
const EN_US_READING = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

/** The reading, to the second, of a clock in the time zone at the instant. */
function wallClockAt(instant: number, timeZone: string): WallClock {
  const text = wallClockFormat(timeZone).format(instant);
  const match = EN_US_READING.exec(text);
  if (!match) throw new Error(`Unexpected clock reading from Intl.DateTimeFormat: ${text}`);
  const [month = 0, day = 0, year = 0, hour = 0, minute = 0, second = 0] = match.slice(1).map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** UTC offset in milliseconds at the instant (+3 600 000 for Europe/Berlin in winter). */
function offsetAt(instant: number, timeZone: string): number {
  return wallClockAt(instant, timeZone) - Math.floor(instant / SECOND) * SECOND;
}

/**
 * The first instant at which the time zone's clock shows `reading` or later: the earlier of the two instants when the
 * reading is repeated (clocks set back), the moment of the jump when the clocks skip over it. Offsets are sampled a day
 * either side, which assumes no time zone changes its offset twice within two days.
 */
function firstInstantShowing(reading: WallClock, timeZone: string): number {
  const offsetBefore = offsetAt(reading - DAY, timeZone);
  const offsetAfter = offsetAt(reading + DAY, timeZone);
  if (offsetBefore === offsetAfter) return reading - offsetBefore;
  const showing = [reading - offsetBefore, reading - offsetAfter].filter(
    (instant) => offsetAt(instant, timeZone) === reading - instant,
  );
  if (showing.length > 0) return Math.min(...showing);
  // Skipped: before the jump the clock shows less than the reading, after it more. Find the jump by bisection.
  let beforeJump = reading - offsetAfter;
  let afterJump = reading - offsetBefore;
  while (afterJump - beforeJump > 1) {
    const middle = Math.floor((beforeJump + afterJump) / 2);
    if (middle + offsetAt(middle, timeZone) >= reading) afterJump = middle;
    else beforeJump = middle;
  }
  return afterJump;
}

const twoDigits = (value: number) => String(value).padStart(2, '0');
const fourDigits = (value: number) => String(value).padStart(4, '0');

function dayLabel(reading: WallClock): string {
  const date = new Date(reading);
  return `${fourDigits(date.getUTCFullYear())}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}`;
}

/** Monday 00:00 of ISO 8601 week 1 of a week-year: the Monday on or before 4 January. */
function mondayOfFirstIsoWeek(weekYear: number): WallClock {
  const fourthOfJanuary = Date.UTC(weekYear, 0, 4);
  return fourthOfJanuary - isoDayIndex(fourthOfJanuary) * DAY;
}

/** 0 for Monday … 6 for Sunday. */
function isoDayIndex(reading: WallClock): number {
  return (new Date(reading).getUTCDay() + 6) % 7;
}

/** ISO 8601 week: weeks start on Monday and belong to the week-year of their Thursday. */
function isoWeekLabel(reading: WallClock): string {
  const startOfDay = Math.floor(reading / DAY) * DAY;
  const thursday = startOfDay + (3 - isoDayIndex(startOfDay)) * DAY;
  const weekYear = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - mondayOfFirstIsoWeek(weekYear)) / WEEK);
  return `${fourDigits(weekYear)}-W${twoDigits(week)}`;
}

function labelOf(reading: WallClock, interval: BucketInterval): string {
  switch (interval) {
    case 'hour':
      return `${dayLabel(reading)}T${twoDigits(new Date(reading).getUTCHours())}`;
    case 'day':
      return dayLabel(reading);
    case 'week':
      return isoWeekLabel(reading);
    case 'month':
      return dayLabel(reading).slice(0, 7);
  }
}

const labelPatterns: Readonly<Record<BucketInterval, RegExp>> = {
  hour: /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/,
  day: /^(\d{4})-(\d{2})-(\d{2})$/,
  week: /^(\d{4})-W(\d{2})$/,
  month: /^(\d{4})-(\d{2})$/,
};

/**
 * The readings at which a label's bucket begins and the next label's begins. Out-of-range fields (month 13, 30
 * February, week 54) roll over here; the round trip in {@link bucketStartMilliseconds} rejects them.
 */
function readingsOf(key: string, interval: BucketInterval): { first: WallClock; next: WallClock } {
  assertBucketInterval(interval);
  const match = labelPatterns[interval].exec(key);
  if (!match) throw new InvalidMetricInputError(`Not a ${interval} bucket key: ${key}`);
  const [year = 0, second = 0, third = 0, fourth = 0] = match.slice(1).map(Number);
  switch (interval) {
    case 'hour': {
      const first = Date.UTC(year, second - 1, third, fourth);
      return { first, next: first + HOUR };
    }
    case 'day':
      return { first: Date.UTC(year, second - 1, third), next: Date.UTC(year, second - 1, third + 1) };
    case 'week': {
      const first = mondayOfFirstIsoWeek(year) + (second - 1) * WEEK;
      return { first, next: first + WEEK };
    }
    case 'month':
      return { first: Date.UTC(year, second - 1, 1), next: Date.UTC(year, second, 1) };
  }
}

function assertBucketInterval(interval: string): void {
  if (!(bucketIntervals as readonly string[]).includes(interval)) {
    throw new InvalidMetricInputError(`A bucket interval is one of ${bucketIntervals.join(', ')}, not ${interval}`);
  }
}

function keyAt(instant: number, interval: BucketInterval, timeZone: string): string {
  assertBucketInterval(interval);
  return labelOf(wallClockAt(instant, timeZone), interval);
}

function bucketStartMilliseconds(key: string, interval: BucketInterval, timeZone: string): number {
  const start = firstInstantShowing(readingsOf(key, interval).first, timeZone);
  if (keyAt(start, interval, timeZone) !== key) {
    throw new InvalidMetricInputError(`There is no ${interval} bucket ${key} in ${timeZone}`);
  }
  return start;
}

/** The start of the following bucket; when the next label is skipped, the jump, which starts the one after it. */
function nextBucketStartMilliseconds(key: string, interval: BucketInterval, timeZone: string): number {
  return firstInstantShowing(readingsOf(key, interval).next, timeZone);
}

/** The label of the bucket that holds the instant, in the time zone. */
export function bucketKey(instant: Instant, interval: BucketInterval, timeZone: string): string {
  return keyAt(epochMillisecondsOf(instant), interval, timeZone);
}

/** The first instant of a bucket; throws for a malformed key or one the time zone skips (e.g. Berlin's 02:00 in March). */
export function bucketStart(key: string, interval: BucketInterval, timeZone: string): Date {
  return new Date(bucketStartMilliseconds(key, interval, timeZone));
}

/** The instant the bucket ends (exclusive): the start of the next bucket. */
export function bucketEnd(key: string, interval: BucketInterval, timeZone: string): Date {
  bucketStartMilliseconds(key, interval, timeZone);
  return new Date(nextBucketStartMilliseconds(key, interval, timeZone));
}

/** The keys of every bucket from the one holding `from` to the one holding `to`, both included, in order. */
export function bucketKeysBetween(from: Instant, to: Instant, interval: BucketInterval, timeZone: string): string[] {
  assertBucketInterval(interval);
  assertTimeZone(timeZone);
  const last = epochMillisecondsOf(to);
  const keys: string[] = [];
  // The first instant is `from` itself, each later one the start of the next bucket.
  let instant = epochMillisecondsOf(from);
  while (instant <= last) {
    const key = keyAt(instant, interval, timeZone);
    keys.push(key);
    instant = nextBucketStartMilliseconds(key, interval, timeZone);
  }
  return keys;
}

/**
 * The period to compare `from`–`to` with: as many buckets as it spans, ending just before its first bucket. Counting
 * buckets, not milliseconds, keeps the previous period aligned to bucket edges across DST switches and uneven months:
 * the days 1–30 November 2026 compare with 2–31 October, the month November with October.
 */
export function previousPeriod(from: Instant, to: Instant, interval: BucketInterval, timeZone: string): Period {
  const keys = bucketKeysBetween(from, to, interval, timeZone);
  const [firstKey] = keys;
  if (firstKey === undefined) throw new InvalidMetricInputError('A period must not end before it starts');
  const currentStart = bucketStartMilliseconds(firstKey, interval, timeZone);
  let previousStart = currentStart;
  for (let stepsBack = 0; stepsBack < keys.length; stepsBack++) {
    previousStart = bucketStartMilliseconds(keyAt(previousStart - 1, interval, timeZone), interval, timeZone);
  }
  return { from: new Date(previousStart), to: new Date(currentStart - 1) };
}
