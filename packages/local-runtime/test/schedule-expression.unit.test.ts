import { describe, expect, it } from 'vitest';
import { parseScheduleExpression } from '../src/events/schedule-expression';

const at = (iso: string) => Date.parse(iso);
const next = (expression: string, after: string) => {
  const time = parseScheduleExpression(expression).next(at(after));
  return time === undefined ? undefined : new Date(time).toISOString();
};

describe('parseScheduleExpression', () => {
  it('runs rate schedules at fixed intervals', () => {
    expect(next('rate(1 minute)', '2030-01-01T00:00:30Z')).toBe('2030-01-01T00:01:30.000Z');
    expect(next('rate(2 hours)', '2030-01-01T00:00:00Z')).toBe('2030-01-01T02:00:00.000Z');
    expect(next('rate(1 day)', '2030-01-01T00:00:00Z')).toBe('2030-01-02T00:00:00.000Z');
    expect(() => parseScheduleExpression('rate(0 minutes)')).toThrow();
  });

  it('runs cron schedules in UTC', () => {
    expect(next('cron(0 12 * * ? *)', '2030-01-01T12:00:00Z')).toBe('2030-01-02T12:00:00.000Z');
    expect(next('cron(0/15 * * * ? *)', '2030-01-01T10:07:00Z')).toBe('2030-01-01T10:15:00.000Z');
    expect(next('cron(30 9 1 JAN,JUL ? *)', '2030-02-01T00:00:00Z')).toBe('2030-07-01T09:30:00.000Z');
    expect(next('cron(0 8 ? * MON-FRI *)', '2030-01-04T09:00:00Z')).toBe('2030-01-07T08:00:00.000Z');
    expect(next('cron(0 0 29 2 ? *)', '2030-01-01T00:00:00Z')).toBe('2032-02-29T00:00:00.000Z');
  });

  it('numbers weekdays from 1 = Sunday, as AWS does', () => {
    expect(next('cron(0 0 ? * 1 *)', '2030-01-01T00:00:00Z')).toBe('2030-01-06T00:00:00.000Z');
  });

  it('runs at() once', () => {
    expect(next('at(2030-05-01T10:00:00)', '2030-01-01T00:00:00Z')).toBe('2030-05-01T10:00:00.000Z');
    expect(next('at(2030-05-01T10:00:00)', '2030-05-01T10:00:00Z')).toBeUndefined();
  });

  it('reads at() and cron() in a time zone, across daylight-saving changes', () => {
    const inBerlin = (expression: string, after: string) => {
      const time = parseScheduleExpression(expression, 'Europe/Berlin').next(at(after));
      return time === undefined ? undefined : new Date(time).toISOString();
    };
    expect(inBerlin('at(2030-01-15T09:00:00)', '2030-01-01T00:00:00Z')).toBe('2030-01-15T08:00:00.000Z');
    expect(inBerlin('at(2030-07-15T09:00:00)', '2030-01-01T00:00:00Z')).toBe('2030-07-15T07:00:00.000Z');
    // Berlin moves to summer time on 2030-03-31: 09:00 is 08:00Z the day before and 07:00Z from then on.
    expect(inBerlin('cron(0 9 * * ? *)', '2030-03-30T08:00:00Z')).toBe('2030-03-31T07:00:00.000Z');
    expect(inBerlin('cron(0 9 * * ? *)', '2030-03-29T12:00:00Z')).toBe('2030-03-30T08:00:00.000Z');
    expect(parseScheduleExpression('rate(1 hour)', 'Europe/Berlin').next(0)).toBe(3_600_000);
    expect(() => parseScheduleExpression('at(2030-01-01T00:00:00)', 'Mars/Olympus')).toThrow(/time zone/);
  });

  it('rejects what AWS rejects or the local runtime cannot run', () => {
    expect(() => parseScheduleExpression('cron(0 12 * * * *)')).toThrow(/exactly one/);
    expect(() => parseScheduleExpression('cron(0 12 L * ? *)')).toThrow(/not supported/);
    expect(() => parseScheduleExpression('every day')).toThrow();
  });
});
