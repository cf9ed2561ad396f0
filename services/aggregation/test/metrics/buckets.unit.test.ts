import { describe, expect, it } from 'vitest';
import {
  bucketEnd,
  bucketKey,
  bucketKeysBetween,
  bucketStart,
  InvalidMetricInputError,
  previousPeriod,
} from '../../src/domain/metrics';

const HOUR = 3_600_000;
const berlin = 'Europe/Berlin';

function hoursIn(key: string, interval: 'hour' | 'day' | 'week' | 'month', timeZone: string): number {
  return (bucketEnd(key, interval, timeZone).getTime() - bucketStart(key, interval, timeZone).getTime()) / HOUR;
}

describe('bucketKey', () => {
  it.each([
    ['hour', '2026-11-20T10'],
    ['day', '2026-11-20'],
    ['week', '2026-W47'],
    ['month', '2026-11'],
  ] as const)('labels 2026-11-20T09:15Z in Berlin (UTC+1) by %s as %s', (interval, key) => {
    expect(bucketKey('2026-11-20T09:15:00.000Z', interval, berlin)).toBe(key);
    expect(bucketKey(new Date('2026-11-20T09:15:00.000Z'), interval, berlin)).toBe(key);
  });

  it("puts the same instant in the survey's own day", () => {
    const lateEvening = '2026-11-20T23:30:00Z';
    expect(bucketKey(lateEvening, 'day', berlin)).toBe('2026-11-21');
    expect(bucketKey(lateEvening, 'day', 'America/New_York')).toBe('2026-11-20');
    expect(bucketKey(lateEvening, 'day', 'UTC')).toBe('2026-11-20');
    expect(bucketKey('2026-11-20T23:30:00-05:00', 'day', 'UTC')).toBe('2026-11-21');
  });

  it('labels local hours through a half-hour offset', () => {
    expect(bucketKey('2026-11-20T09:45:00Z', 'hour', 'Asia/Kolkata')).toBe('2026-11-20T15');
  });

  it.each(['2026-11-20', '2026-11-20T09:15:00', 'yesterday', '2026-02-30T00:00:00Z'])(
    'refuses the ambiguous or invalid instant %s',
    (instant) => {
      expect(() => bucketKey(instant, 'day', berlin)).toThrow(InvalidMetricInputError);
    },
  );

  it('refuses an invalid Date, an unknown time zone and an unknown interval', () => {
    expect(() => bucketKey(new Date(Number.NaN), 'day', berlin)).toThrow(InvalidMetricInputError);
    expect(() => bucketKey('2026-11-20T09:15:00Z', 'day', 'Mars/Olympus_Mons')).toThrow(InvalidMetricInputError);
    expect(() => bucketKey('2026-11-20T09:15:00Z', 'year' as 'day', berlin)).toThrow(InvalidMetricInputError);
  });
});

describe('ISO week-years', () => {
  // 1 January 2026 is a Thursday, so 2026 has 53 ISO weeks: W01 starts Monday 29 December 2025, W53 Monday
  // 28 December 2026 and runs to Sunday 3 January 2027.
  it.each([
    ['2025-12-28T12:00:00Z', '2025-W52'],
    ['2025-12-29T12:00:00Z', '2026-W01'],
    ['2026-12-31T12:00:00Z', '2026-W53'],
    ['2027-01-01T12:00:00Z', '2026-W53'],
    ['2027-01-03T23:59:59Z', '2026-W53'],
    ['2027-01-04T00:00:00Z', '2027-W01'],
  ])('%s is in %s', (instant, week) => {
    expect(bucketKey(instant, 'week', 'UTC')).toBe(week);
  });

  it('decides the week by the local date', () => {
    // 23:30 UTC on Sunday 3 January 2027 is already Monday 00:30 in Berlin
    expect(bucketKey('2027-01-03T23:30:00Z', 'week', 'UTC')).toBe('2026-W53');
    expect(bucketKey('2027-01-03T23:30:00Z', 'week', berlin)).toBe('2027-W01');
  });

  it('starts weeks on Monday at local midnight', () => {
    expect(bucketStart('2026-W01', 'week', 'UTC').toISOString()).toBe('2025-12-29T00:00:00.000Z');
    expect(bucketStart('2026-W53', 'week', berlin).toISOString()).toBe('2026-12-27T23:00:00.000Z');
    expect(bucketEnd('2026-W53', 'week', berlin).toISOString()).toBe('2027-01-03T23:00:00.000Z');
  });

  it('refuses week 53 of a year with 52 weeks, and week 0', () => {
    expect(() => bucketStart('2027-W53', 'week', 'UTC')).toThrow(InvalidMetricInputError);
    expect(() => bucketStart('2026-W00', 'week', 'UTC')).toThrow(InvalidMetricInputError);
  });
});

describe('DST edges', () => {
  it('makes the Berlin switch days 23 and 25 hours long', () => {
    expect(hoursIn('2026-03-28', 'day', berlin)).toBe(24);
    expect(hoursIn('2026-03-29', 'day', berlin)).toBe(23);
    expect(hoursIn('2026-10-25', 'day', berlin)).toBe(25);
    expect(bucketStart('2026-03-29', 'day', berlin).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(bucketEnd('2026-03-29', 'day', berlin).toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('makes the New York switch days 23 and 25 hours long', () => {
    expect(hoursIn('2026-03-08', 'day', 'America/New_York')).toBe(23);
    expect(hoursIn('2026-11-01', 'day', 'America/New_York')).toBe(25);
  });

  it('carries the DST hour in the months and weeks that hold a switch', () => {
    expect(hoursIn('2026-03', 'month', berlin)).toBe(31 * 24 - 1);
    expect(hoursIn('2026-10', 'month', berlin)).toBe(31 * 24 + 1);
    expect(hoursIn('2026-W13', 'week', berlin)).toBe(7 * 24 - 1);
  });

  it('has no bucket for the hour the clocks skip', () => {
    expect(bucketKeysBetween('2026-03-29T00:00:00+01:00', '2026-03-29T04:00:00+02:00', 'hour', berlin)).toEqual([
      '2026-03-29T00',
      '2026-03-29T01',
      '2026-03-29T03',
      '2026-03-29T04',
    ]);
    expect(() => bucketStart('2026-03-29T02', 'hour', berlin)).toThrow(/no hour bucket 2026-03-29T02/);
    expect(bucketEnd('2026-03-29T01', 'hour', berlin)).toEqual(bucketStart('2026-03-29T03', 'hour', berlin));
  });

  it('makes the repeated hour one bucket of two hours', () => {
    expect(bucketKey('2026-10-25T02:30:00+02:00', 'hour', berlin)).toBe('2026-10-25T02');
    expect(bucketKey('2026-10-25T02:30:00+01:00', 'hour', berlin)).toBe('2026-10-25T02');
    expect(bucketStart('2026-10-25T02', 'hour', berlin).toISOString()).toBe('2026-10-25T00:00:00.000Z');
    expect(hoursIn('2026-10-25T02', 'hour', berlin)).toBe(2);
  });

  it('starts a day whose midnight is skipped at the jump (Havana moves 00:00 to 01:00)', () => {
    expect(bucketStart('2026-03-08', 'day', 'America/Havana').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(hoursIn('2026-03-08', 'day', 'America/Havana')).toBe(23);
  });

  it('skips a calendar day that a time zone never had (Samoa, 30 December 2011)', () => {
    expect(bucketKeysBetween('2011-12-29T12:00:00Z', '2011-12-31T12:00:00Z', 'day', 'Pacific/Apia')).toEqual([
      '2011-12-29',
      '2011-12-31',
      '2012-01-01',
    ]);
    expect(() => bucketStart('2011-12-30', 'day', 'Pacific/Apia')).toThrow(InvalidMetricInputError);
  });
});

describe('bucketStart and bucketEnd', () => {
  it('start a month at local midnight of the 1st and end it at the next', () => {
    expect(bucketStart('2026-02', 'month', berlin).toISOString()).toBe('2026-01-31T23:00:00.000Z');
    expect(bucketEnd('2026-02', 'month', berlin).toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(bucketEnd('2026-12', 'month', 'UTC').toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it.each([
    ['day', '2026-02-30'],
    ['day', '2026-2-3'],
    ['day', '2026-11-20T09'],
    ['hour', '2026-11-20T24'],
    ['month', '2026-13'],
    ['month', '2026-00'],
    ['week', '2026-47'],
  ] as const)('refuse the %s key %s', (interval, key) => {
    expect(() => bucketStart(key, interval, berlin)).toThrow(InvalidMetricInputError);
    expect(() => bucketEnd(key, interval, berlin)).toThrow(InvalidMetricInputError);
  });
});

describe('bucketKeysBetween', () => {
  it('lists every bucket from the one holding `from` to the one holding `to`, both included', () => {
    expect(bucketKeysBetween('2026-11-20T09:00:00Z', '2026-11-22T00:30:00Z', 'day', berlin)).toEqual([
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ]);
  });

  it('crosses ISO week-year and calendar-year boundaries', () => {
    expect(bucketKeysBetween('2026-12-20T00:00:00Z', '2027-01-12T00:00:00Z', 'week', 'UTC')).toEqual([
      '2026-W51',
      '2026-W52',
      '2026-W53',
      '2027-W01',
      '2027-W02',
    ]);
    expect(bucketKeysBetween('2026-11-15T00:00:00Z', '2027-02-01T00:00:00Z', 'month', 'UTC')).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
  });

  it('counts 23 and 25 hourly buckets on the Berlin switch days', () => {
    const hoursOf = (day: string) =>
      bucketKeysBetween(
        bucketStart(day, 'day', berlin),
        new Date(bucketEnd(day, 'day', berlin).getTime() - 1),
        'hour',
        berlin,
      );
    expect(hoursOf('2026-03-29')).toHaveLength(23);
    // 25 hours, but the repeated hour is one bucket
    expect(hoursOf('2026-10-25')).toHaveLength(24);
  });

  it('is empty when `to` is before `from`', () => {
    expect(bucketKeysBetween('2026-11-20T00:00:00Z', '2026-11-19T00:00:00Z', 'day', berlin)).toEqual([]);
  });
});

describe('previousPeriod', () => {
  it('compares 1–30 November with the 30 days before, 2–31 October, across the October switch', () => {
    const previous = previousPeriod('2026-11-01T00:00:00+01:00', '2026-11-30T23:59:59+01:00', 'day', berlin);
    expect(previous.from.toISOString()).toBe('2026-10-01T22:00:00.000Z'); // 2 October, 00:00 CEST
    expect(previous.to.toISOString()).toBe('2026-10-31T22:59:59.999Z'); // 31 October, 23:59:59.999 CET
    expect(bucketKeysBetween(previous.from, previous.to, 'day', berlin)).toHaveLength(30);
  });

  it('compares a month with the month before, whatever their lengths', () => {
    const previous = previousPeriod('2026-03-10T00:00:00Z', '2026-03-20T00:00:00Z', 'month', berlin);
    expect(bucketKeysBetween(previous.from, previous.to, 'month', berlin)).toEqual(['2026-02']);
    expect(previous.from).toEqual(bucketStart('2026-02', 'month', berlin));
  });

  it('compares ISO week 2027-W01 with 2026-W53', () => {
    const previous = previousPeriod('2027-01-04T00:00:00Z', '2027-01-05T00:00:00Z', 'week', 'UTC');
    expect(bucketKeysBetween(previous.from, previous.to, 'week', 'UTC')).toEqual(['2026-W53']);
  });

  it('refuses a period that ends before it starts', () => {
    expect(() => previousPeriod('2026-11-20T00:00:00Z', '2026-11-19T00:00:00Z', 'day', berlin)).toThrow(
      InvalidMetricInputError,
    );
  });
});
