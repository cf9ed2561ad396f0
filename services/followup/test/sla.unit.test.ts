import { describe, expect, it } from 'vitest';
import { atExpression, slaScheduleName, slaTimerInputSchema } from '../src/scheduling/sla-timers';

describe('slaScheduleName', () => {
  it('is the same for the same timer and differs by case, period and level, within Scheduler’s name rules', () => {
    const timer = { caseId: 'case_fb_01JD8X4Q2V6N3M5K7P9R1T3W5Y', period: 0, level: 1 };
    const name = slaScheduleName(timer);
    expect(slaScheduleName({ ...timer })).toBe(name);
    expect(name).toMatch(/^[0-9a-zA-Z-_.]{1,64}$/);
    const others = [
      slaScheduleName({ ...timer, caseId: 'case_other' }),
      slaScheduleName({ ...timer, period: 1 }),
      slaScheduleName({ ...timer, level: 2 }),
    ];
    expect(new Set([name, ...others]).size).toBe(4);
    expect(slaScheduleName({ caseId: 'x'.repeat(500), period: 999, level: 10 }).length).toBeLessThanOrEqual(64);
  });
});

describe('atExpression', () => {
  const now = new Date('2026-11-20T09:00:00.000Z');

  it('fires at the deadline, rounded up to the whole second, in UTC', () => {
    expect(atExpression('2026-11-21T09:00:00.250Z', now)).toBe('at(2026-11-21T09:00:01)');
    expect(atExpression('2026-11-21T09:00:00.000Z', now)).toBe('at(2026-11-21T09:00:00)');
  });

  it('never fires earlier than a minute from now (Scheduler’s precision; a past time is no use)', () => {
    expect(atExpression('2026-11-20T08:00:00.000Z', now)).toBe('at(2026-11-20T09:01:00)');
    expect(atExpression('2026-11-20T09:00:03.600Z', now)).toBe('at(2026-11-20T09:01:00)');
  });
});

describe('slaTimerInputSchema', () => {
  it('takes the schedule’s input with Scheduler’s scheduled time, and older inputs without a period', () => {
    expect(
      slaTimerInputSchema.parse({
        caseId: 'case_1',
        dueAt: '2026-11-21T09:00:00.000Z',
        level: 1,
        period: 2,
        scheduledTime: '2026-11-21T09:00:00Z',
      }),
    ).toMatchObject({ period: 2, scheduledTime: '2026-11-21T09:00:00Z' });
    expect(slaTimerInputSchema.parse({ caseId: 'c', dueAt: '2026-11-21T09:00:00.000Z', level: 1 }).period).toBe(0);
    expect(slaTimerInputSchema.safeParse({ caseId: 'c', level: 0 }).success).toBe(false);
  });
});
