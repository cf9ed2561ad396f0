import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, formatter, todayIn } from '../src/format';
import { translator } from '../src/i18n';

const en = formatter(translator('en'));
const ru = formatter(translator('ru'));
const NBSP = '\u00a0';

describe('numbers and metrics, per language', () => {
  it('writes each scale’s headline with its own precision and unit', () => {
    expect(en.metric('nps', 100 / 3)).toBe('33.3');
    expect(ru.metric('nps', 100 / 3)).toBe('33,3');
    expect(en.metric('nps', -20)).toBe('-20');
    expect(en.metric('csat', 60)).toBe('60%');
    expect(ru.metric('csat', 62.5)).toBe(`62,5${NBSP}%`);
    expect(en.metric('ces', 5.4567)).toBe('5.46');
    expect(ru.number(12_345.5)).toBe(`12${NBSP}345,5`);
  });

  it('writes margins and signed changes with the unit of the scale', () => {
    expect(en.margin('nps', 8.4444)).toBe('± 8.4');
    expect(ru.margin('ces', 0.256)).toBe('± 0,26');
    expect(en.delta('nps', 3.46)).toBe('+3.5 pts');
    expect(en.delta('csat', -2)).toBe('-2 pp');
    expect(ru.delta('csat', -2)).toBe('-2 п. п.');
    expect(en.delta('ces', 0)).toBe('0 points');
  });

  it('writes p-values and confidence levels', () => {
    expect(en.pValue(0.0004)).toBe('< 0.001');
    expect(en.pValue(0.04123)).toBe('0.041');
    expect(ru.pValue(0.5)).toBe('0,5');
    expect(en.confidence(0.95)).toBe('95%');
    expect(ru.confidence(0.9)).toBe(`90${NBSP}%`);
  });
});

describe('dates and durations', () => {
  it('writes a calendar day the same whatever the viewer’s time zone', () => {
    expect(en.day('2026-11-05')).toBe('5 Nov 2026');
    expect(ru.day('2026-11-05')).toBe('5 нояб. 2026 г.');
  });

  it('labels a bucket of a series by its days in the survey’s time zone', () => {
    // Days in Moscow start at 21:00 UTC the day before.
    expect(en.bucket('day', '2026-11-04T21:00:00.000Z', '2026-11-05T21:00:00.000Z', 'Europe/Moscow')).toBe('5 Nov');
    expect(en.bucket('week', '2026-11-01T21:00:00.000Z', '2026-11-08T21:00:00.000Z', 'Europe/Moscow')).toBe(
      '2 Nov – 8 Nov',
    );
    expect(ru.bucket('month', '2026-10-31T21:00:00.000Z', '2026-11-30T21:00:00.000Z', 'Europe/Moscow')).toBe(
      'нояб. 2026 г.',
    );
  });

  it('writes durations in the largest whole unit, with the language’s plural forms', () => {
    expect(en.duration(90_000)).toBe('2 minutes');
    expect(en.duration(3_600_000)).toBe('1 hour');
    expect(ru.duration(2 * 86_400_000)).toBe('2 дня');
    expect(ru.duration(5 * 86_400_000)).toBe('5 дней');
    expect(ru.duration(21 * 3_600_000)).toBe('21 час');
  });

  it('knows today in a time zone and counts days across months', () => {
    const lateEvening = new Date('2026-11-05T22:30:00Z');
    expect(todayIn('UTC', lateEvening)).toBe('2026-11-05');
    expect(todayIn('Europe/Moscow', lateEvening)).toBe('2026-11-06');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-02-01', '2026-03-02')).toBe(30);
    expect(daysBetween('2026-11-05', '2026-11-05')).toBe(1);
  });
});
