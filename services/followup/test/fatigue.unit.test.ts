import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FatiguePolicy,
  fatiguePolicySchema,
  invitationDecision,
  outsideQuietHours,
  type PersonContactHistory,
} from '../src/domain/fatigue';

const policy: FatiguePolicy = fatiguePolicySchema.parse({ surveyMinIntervalDays: { 'srv-support-csat': 7 } });
const moscow = 'Europe/Moscow';
// 12:00 in Moscow (UTC+3): outside the default quiet hours 21:00–09:00.
const noonInMoscow = new Date('2026-11-20T09:00:00Z');
const daysBefore = (days: number, from = noonInMoscow) => new Date(from.getTime() - days * 86_400_000).toISOString();

const decide = (history: PersonContactHistory, now = noonInMoscow, surveyId = 'srv-nps', timeZone = moscow) =>
  invitationDecision({ history, policy, surveyId, now, timeZone });

describe('invitationDecision', () => {
  it('sends now to a known person never surveyed, during the day', () => {
    expect(decide({ firstSeenAt: daysBefore(30) })).toEqual({
      decision: 'send_now',
      reserveIfLastSurveyedBefore: daysBefore(90),
    });
  });

  it('never invites an unsubscribed person', () => {
    expect(decide({ unsubscribedAt: daysBefore(400) })).toEqual({ decision: 'suppress', reason: 'unsubscribed' });
  });

  it('keeps the global interval across surveys, counting invitations and answers alike', () => {
    expect(decide({ lastInvitedAt: daysBefore(89) })).toEqual({
      decision: 'suppress',
      reason: 'recently_surveyed',
      until: new Date(noonInMoscow.getTime() + 86_400_000).toISOString(),
    });
    expect(decide({ lastInvitedAt: daysBefore(120), lastAnsweredAt: daysBefore(10) })).toMatchObject({
      decision: 'suppress',
      reason: 'recently_surveyed',
    });
    expect(decide({ lastInvitedAt: daysBefore(90) }).decision).toBe('send_now');
  });

  it("applies a survey's own interval instead of the global one", () => {
    expect(decide({ lastInvitedAt: daysBefore(8) }, noonInMoscow, 'srv-support-csat').decision).toBe('send_now');
    expect(decide({ lastInvitedAt: daysBefore(6) }, noonInMoscow, 'srv-support-csat').decision).toBe('suppress');
    expect(decide({ lastInvitedAt: daysBefore(8) }).decision).toBe('suppress');
  });

  it('throttles after a decline for longer than the interval', () => {
    expect(decide({ lastDeclinedAt: daysBefore(100) })).toEqual({
      decision: 'suppress',
      reason: 'recently_declined',
      until: new Date(noonInMoscow.getTime() + 80 * 86_400_000).toISOString(),
    });
    expect(decide({ lastDeclinedAt: daysBefore(181) }).decision).toBe('send_now');
  });

  it('holds a new contact until the delay has passed', () => {
    expect(decide({ firstSeenAt: daysBefore(2) })).toEqual({
      decision: 'send_at',
      at: new Date(noonInMoscow.getTime() + 5 * 86_400_000).toISOString(),
      reason: 'new_contact_delay',
      reserveIfLastSurveyedBefore: daysBefore(85),
    });
  });

  it("waits for the end of quiet hours in the recipient's time zone", () => {
    const lateEveningInMoscow = new Date('2026-11-20T19:30:00Z'); // 22:30 local
    expect(decide({}, lateEveningInMoscow)).toEqual({
      decision: 'send_at',
      at: '2026-11-21T06:00:00.000Z',
      reason: 'quiet_hours',
      reserveIfLastSurveyedBefore: daysBefore(90, new Date('2026-11-21T06:00:00.000Z')),
    });
    // The same instant is 11:30 in Tokyo.
    expect(decide({}, lateEveningInMoscow, 'srv-nps', 'Asia/Tokyo')).toEqual({
      decision: 'send_at',
      at: '2026-11-21T00:00:00.000Z',
      reason: 'quiet_hours',
      reserveIfLastSurveyedBefore: daysBefore(90, new Date('2026-11-21T00:00:00.000Z')),
    });
    expect(decide({}, lateEveningInMoscow, 'srv-nps', 'America/New_York').decision).toBe('send_now');
  });

  it('moves a delayed send out of quiet hours too', () => {
    const firstSeenLateAtNight = '2026-11-13T20:00:00Z'; // 23:00 in Moscow, delay ends at 23:00 a week later
    const decision = decide({ firstSeenAt: firstSeenLateAtNight });
    expect(decision).toMatchObject({
      decision: 'send_at',
      at: '2026-11-21T06:00:00.000Z',
      reason: 'new_contact_delay',
    });
  });

  it('never sends inside quiet hours nor before now, and never to the unsubscribed', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }),
        fc.constantFrom('Europe/Moscow', 'America/New_York', 'Asia/Kolkata', 'UTC'),
        fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
        fc.boolean(),
        (now, timeZone, seenDaysAgo, unsubscribed) => {
          const history: PersonContactHistory = {
            ...(seenDaysAgo === undefined ? {} : { firstSeenAt: daysBefore(seenDaysAgo, now) }),
            ...(unsubscribed ? { unsubscribedAt: daysBefore(1, now) } : {}),
          };
          const decision = invitationDecision({ history, policy, surveyId: 's', now, timeZone });
          if (unsubscribed) {
            expect(decision).toEqual({ decision: 'suppress', reason: 'unsubscribed' });
            return;
          }
          const sendAt = decision.decision === 'send_at' ? new Date(decision.at) : now;
          expect(decision.decision).not.toBe('suppress');
          expect(sendAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
          const localHour = Number(
            new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone }).format(sendAt),
          );
          expect(localHour >= 9 && localHour < 21).toBe(true);
        },
      ),
    );
  });
});

describe('outsideQuietHours', () => {
  const at = (iso: string) => new Date(iso);

  it('handles quiet hours within one day and across a daylight-saving change', () => {
    const lunch = { start: '12:00', end: '13:30' };
    expect(outsideQuietHours(at('2026-06-01T12:15:00Z'), lunch, 'UTC').toISOString()).toBe('2026-06-01T13:30:00.000Z');
    expect(outsideQuietHours(at('2026-06-01T13:30:00Z'), lunch, 'UTC').toISOString()).toBe('2026-06-01T13:30:00.000Z');
    // 23:00 on 28 March 2026 in Berlin (UTC+1); quiet hours end at 09:00 on the 29th, by then UTC+2.
    const night = { start: '21:00', end: '09:00' };
    expect(outsideQuietHours(at('2026-03-28T22:00:00Z'), night, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T07:00:00.000Z',
    );
  });

  it('changes nothing without quiet hours', () => {
    expect(outsideQuietHours(at('2026-06-01T02:00:00Z'), null, 'UTC').toISOString()).toBe('2026-06-01T02:00:00.000Z');
  });

  it('rejects empty or malformed quiet hours', () => {
    expect(fatiguePolicySchema.safeParse({ quietHours: { start: '09:00', end: '09:00' } }).success).toBe(false);
    expect(fatiguePolicySchema.safeParse({ quietHours: { start: '9:00', end: '21:00' } }).success).toBe(false);
  });
});
