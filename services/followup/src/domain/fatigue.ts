import { TZDate } from '@date-fns/tz';
import * as z from 'zod';

/**
 * Server-side survey fatigue limits per person. The invitations area keeps each person's history in their profile
 * (`PERSON#<personKey>` / `PROFILE`: `firstSeenAt`, `lastInvitedAt`), asks `invitationDecision`, and then claims the
 * slot with one conditional write, because two invitations for the same person may be decided at the same time by
 * different Lambdas that both read an old `lastInvitedAt` (`InvitationStore.createReserved`):
 *
 *   TransactWriteItems [
 *     Update pk=PERSON#<personKey> sk=PROFILE
 *       SET lastInvitedAt = :sendAt
 *       IF attribute_not_exists(lastInvitedAt) OR lastInvitedAt <= :reserveIfLastSurveyedBefore
 *     Put pk=INVITE#<invitationId> sk=INVITE (status pending) IF attribute_not_exists(pk)
 *   ]
 *
 * A failed condition on the profile means another invitation won the slot: this one decides again on what the
 * winner wrote and is recorded as suppressed (`recently_surveyed`, until the interval after the winner). A `send_at`
 * decision claims the slot at decision time with :sendAt set to the scheduled instant, so nothing else slips in
 * before it; cancelling it gives the slot back. Unsubscribes, bounces and complaints are checked before deciding
 * (the suppressions of the person key and the address), and again when a scheduled invitation falls due.
 */

/** True for a time zone name the runtime knows (IANA, e.g. `Europe/Moscow`). */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm, 24-hour');

export const quietHoursSchema = z
  .object({ start: timeOfDaySchema, end: timeOfDaySchema })
  .refine((quiet) => quiet.start !== quiet.end, { message: 'quiet hours must not be empty' })
  .describe("Local time in the recipient's time zone; start after end spans midnight");
export type QuietHours = z.infer<typeof quietHoursSchema>;

const MAX_DAYS = 3650;

export const fatiguePolicySchema = z.object({
  minIntervalDays: z
    .number()
    .min(0)
    .max(MAX_DAYS)
    .default(90)
    .describe('Least time between two surveys of the same person, across all surveys and channels'),
  surveyMinIntervalDays: z
    .record(z.string().min(1).max(100), z.number().min(0).max(MAX_DAYS))
    .default({})
    .describe('Survey id → its own least time since the person was last surveyed (by any survey)'),
  declineThrottleDays: z
    .number()
    .min(0)
    .max(MAX_DAYS)
    .default(180)
    .describe('No invitation for this long after a decline'),
  newContactDelayDays: z
    .number()
    .min(0)
    .max(MAX_DAYS)
    .default(7)
    .describe('How long a person is left alone after first seen'),
  quietHours: quietHoursSchema.nullable().default({ start: '21:00', end: '09:00' }),
  defaultTimeZone: z
    .string()
    .refine(isTimeZone, 'an IANA time zone, e.g. Europe/Moscow')
    .default('UTC')
    .describe('Quiet hours are kept in this time zone for people whose own time zone is not known'),
});
export type FatiguePolicy = z.infer<typeof fatiguePolicySchema>;

export interface PersonContactHistory {
  firstSeenAt?: string;
  lastInvitedAt?: string;
  lastAnsweredAt?: string;
  lastDeclinedAt?: string;
  unsubscribedAt?: string;
}

export type SuppressionReason = 'unsubscribed' | 'recently_declined' | 'recently_surveyed';

export type InvitationDecision =
  | { decision: 'send_now'; reserveIfLastSurveyedBefore: string }
  | {
      decision: 'send_at';
      at: string;
      reason: 'quiet_hours' | 'new_contact_delay' | 'requested_delay';
      reserveIfLastSurveyedBefore: string;
    }
  | { decision: 'suppress'; reason: SuppressionReason; until?: string };

const DAY_MS = 86_400_000;

const minutesOf = (timeOfDay: string) => Number(timeOfDay.slice(0, 2)) * 60 + Number(timeOfDay.slice(3, 5));

/** The instant itself when it falls outside quiet hours in `timeZone`, else the moment quiet hours end there. */
export function outsideQuietHours(instant: Date, quietHours: QuietHours | null, timeZone: string): Date {
  if (!quietHours) return instant;
  const local = new TZDate(instant.getTime(), timeZone);
  const minute = local.getHours() * 60 + local.getMinutes();
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  const spansMidnight = start > end;
  const quiet = spansMidnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!quiet) return instant;
  const endsTomorrow = spansMidnight && minute >= start;
  const quietEnd = new TZDate(
    local.getFullYear(),
    local.getMonth(),
    local.getDate() + (endsTomorrow ? 1 : 0),
    Math.floor(end / 60),
    end % 60,
    timeZone,
  );
  return new Date(quietEnd.getTime());
}

export function lastSurveyedAt(history: PersonContactHistory): number | undefined {
  const times = [history.lastInvitedAt, history.lastAnsweredAt].filter((at) => at !== undefined).map(Date.parse);
  return times.length > 0 ? Math.max(...times) : undefined;
}

/**
 * Whether to invite a person to a survey now, later, or not at all. Suppressions come first (unsubscribed, declined
 * recently, surveyed too recently); a new contact is held until the delay has passed, and nothing is sent before
 * `notBefore` (the caller's own delay); the send time is then moved out of quiet hours in the recipient's time zone
 * (IANA name).
 */
export function invitationDecision(input: {
  history: PersonContactHistory;
  policy: FatiguePolicy;
  surveyId: string;
  now: Date;
  timeZone: string;
  notBefore?: Date;
}): InvitationDecision {
  const { history, policy, surveyId, now, timeZone } = input;
  if (history.unsubscribedAt) return { decision: 'suppress', reason: 'unsubscribed' };

  if (history.lastDeclinedAt) {
    const declineEnds = Date.parse(history.lastDeclinedAt) + policy.declineThrottleDays * DAY_MS;
    if (now.getTime() < declineEnds) {
      return { decision: 'suppress', reason: 'recently_declined', until: new Date(declineEnds).toISOString() };
    }
  }

  const intervalMs = (policy.surveyMinIntervalDays[surveyId] ?? policy.minIntervalDays) * DAY_MS;
  const surveyedAt = lastSurveyedAt(history);
  if (surveyedAt !== undefined && now.getTime() < surveyedAt + intervalMs) {
    return {
      decision: 'suppress',
      reason: 'recently_surveyed',
      until: new Date(surveyedAt + intervalMs).toISOString(),
    };
  }

  const delayEnds = history.firstSeenAt
    ? Date.parse(history.firstSeenAt) + policy.newContactDelayDays * DAY_MS
    : Number.NEGATIVE_INFINITY;
  const requested = input.notBefore?.getTime() ?? Number.NEGATIVE_INFINITY;
  const earliest = new Date(Math.max(now.getTime(), delayEnds, requested));
  const sendAt = outsideQuietHours(earliest, policy.quietHours, timeZone);
  const reserveIfLastSurveyedBefore = new Date(sendAt.getTime() - intervalMs).toISOString();
  if (sendAt.getTime() === now.getTime()) return { decision: 'send_now', reserveIfLastSurveyedBefore };
  const reason =
    earliest.getTime() === now.getTime()
      ? 'quiet_hours'
      : requested >= delayEnds
        ? 'requested_delay'
        : 'new_contact_delay';
  return { decision: 'send_at', at: sendAt.toISOString(), reason, reserveIfLastSurveyedBefore };
}
