import { describe, expect, it } from 'vitest';
import { type FatiguePolicy, fatiguePolicySchema, invitationDecision, isTimeZone } from '../src/domain/fatigue';

const DAY = 86_400_000;
const policy: FatiguePolicy = fatiguePolicySchema.parse({});
const noonUtc = new Date('2026-11-20T12:00:00Z');
const later = (ms: number, from = noonUtc) => new Date(from.getTime() + ms);

const decide = (input: Partial<Parameters<typeof invitationDecision>[0]>) =>
  invitationDecision({ history: {}, policy, surveyId: 'srv', now: noonUtc, timeZone: 'UTC', ...input });

describe('invitationDecision with a requested delay (POST /v1/people `delay`)', () => {
  it('sends at the end of the delay, and reserves the person measured from then', () => {
    expect(decide({ notBefore: later(3600_000) })).toEqual({
      decision: 'send_at',
      at: '2026-11-20T13:00:00.000Z',
      reason: 'requested_delay',
      reserveIfLastSurveyedBefore: new Date(later(3600_000).getTime() - 90 * DAY).toISOString(),
    });
  });

  it('sends now when the delay is zero', () => {
    expect(decide({ notBefore: noonUtc }).decision).toBe('send_now');
  });

  it('waits for the longer of the delay and the new-contact delay, and names the one that decided', () => {
    const seenYesterday = { firstSeenAt: later(-DAY).toISOString() };
    expect(decide({ history: seenYesterday, notBefore: later(3600_000) })).toMatchObject({
      decision: 'send_at',
      at: later(6 * DAY).toISOString(),
      reason: 'new_contact_delay',
    });
    expect(decide({ history: seenYesterday, notBefore: later(10 * DAY) })).toMatchObject({
      decision: 'send_at',
      at: later(10 * DAY).toISOString(),
      reason: 'requested_delay',
    });
  });

  it('moves a delayed send out of quiet hours', () => {
    // 12:00 UTC + 10 h = 22:00 UTC, inside the default 21:00–09:00: sent at 09:00 the next day.
    expect(decide({ notBefore: later(10 * 3600_000) })).toMatchObject({
      decision: 'send_at',
      at: '2026-11-21T09:00:00.000Z',
      reason: 'requested_delay',
    });
  });

  it('still suppresses a person surveyed inside the interval, whatever the delay', () => {
    expect(decide({ history: { lastInvitedAt: later(-DAY).toISOString() }, notBefore: later(DAY) })).toEqual({
      decision: 'suppress',
      reason: 'recently_surveyed',
      until: later(89 * DAY).toISOString(),
    });
  });

  it('lets a scheduled reservation in the future block another invitation around it', () => {
    // The person is reserved for a send in 7 days (a delayed invitation): a new one now is inside the interval.
    expect(decide({ history: { lastInvitedAt: later(7 * DAY).toISOString() } })).toMatchObject({
      decision: 'suppress',
      reason: 'recently_surveyed',
      until: later(97 * DAY).toISOString(),
    });
  });
});

describe('the fatigue policy', () => {
  it('defaults to a 90-day interval, a decline throttle, a new-contact delay and quiet hours 21:00–09:00 UTC', () => {
    expect(policy).toEqual({
      minIntervalDays: 90,
      surveyMinIntervalDays: {},
      declineThrottleDays: 180,
      newContactDelayDays: 7,
      quietHours: { start: '21:00', end: '09:00' },
      defaultTimeZone: 'UTC',
    });
  });

  it('rejects an unknown time zone and intervals beyond ten years', () => {
    const issues = (value: unknown) =>
      fatiguePolicySchema.safeParse(value).error?.issues.map((issue) => issue.path.join('.')) ?? [];
    expect(issues({ defaultTimeZone: 'Mars/Olympus_Mons' })).toEqual(['defaultTimeZone']);
    expect(issues({ minIntervalDays: 4000 })).toEqual(['minIntervalDays']);
    expect(issues({ surveyMinIntervalDays: { srv: -1 } })).toEqual(['surveyMinIntervalDays.srv']);
    expect(issues({ quietHours: null, defaultTimeZone: 'Europe/Moscow' })).toEqual([]);
  });

  it('knows IANA time zones', () => {
    expect(isTimeZone('Europe/Moscow')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Moscow')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
