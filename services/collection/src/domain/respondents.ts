import { createHmac } from 'node:crypto';
import * as z from 'zod';
import { secretsEqual } from './api-keys';
import type { Survey } from './surveys';

/**
 * Who answers, as a widget or hosted page posts it: an anonymous browser/device id, and/or the host site's user id
 * with `signature` = hex HMAC-SHA256(survey identity secret, id), computed on the host's server.
 */
export const respondentInputSchema = z
  .object({
    anonymousId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{8,200}$/, 'expected 8–200 characters of A–Z, a–z, 0–9, "_", ".", ":" or "-"')
      .optional(),
    id: z.string().min(1).max(200).optional(),
    signature: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'expected the hex HMAC-SHA256 of respondent.id')
      .optional(),
    email: z.email().optional(),
  })
  .refine((respondent) => respondent.signature === undefined || respondent.id !== undefined, {
    message: 'a signature needs the respondent.id it signs',
    path: ['signature'],
  });
export type RespondentInput = z.infer<typeof respondentInputSchema>;

export interface Respondent {
  id?: string;
  /** True only when `id` came with a valid signature: consumers may trust only a verified id. */
  verified: boolean;
  anonymousId?: string;
  email?: string;
}

export class RespondentSignatureError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RespondentSignatureError';
  }
}

export function signRespondentId(identitySecret: string, id: string): string {
  return createHmac('sha256', identitySecret).update(id, 'utf8').digest('hex');
}

/**
 * An id without a signature is kept as unverified (a claim, not a proof); a signature that does not match is refused
 * rather than downgraded, because it means a forgery or a misconfigured host.
 */
export function identifyRespondent(input: RespondentInput | undefined, identitySecret: string | undefined): Respondent {
  const respondent: Respondent = {
    verified: false,
    ...(input?.id ? { id: input.id } : {}),
    ...(input?.anonymousId ? { anonymousId: input.anonymousId } : {}),
    ...(input?.email ? { email: input.email } : {}),
  };
  if (input?.signature === undefined || input.id === undefined) return respondent;
  if (!identitySecret) throw new RespondentSignatureError('the survey has no identity secret to check it with');
  if (!secretsEqual(input.signature.toLowerCase(), signRespondentId(identitySecret, input.id))) {
    throw new RespondentSignatureError('does not match respondent.id');
  }
  return { ...respondent, verified: true };
}

/** The identity that throttling and per-respondent limits count by: a proven user id, else the anonymous id. */
export function respondentKey(respondent: Respondent): string | undefined {
  if (respondent.verified && respondent.id) return `user:${respondent.id}`;
  if (respondent.anonymousId) return `anon:${respondent.anonymousId}`;
  return undefined;
}

export interface RespondentState {
  lastAskedAt?: string;
  lastRespondedAt?: string;
}

export type AskDecision =
  | { ask: true }
  | {
      ask: false;
      reason: 'survey_paused' | 'responded_recently' | 'asked_recently' | 'not_sampled';
      /** When this respondent may be asked again (absent when it depends on the survey being resumed). */
      nextAskAt?: string;
    };

const dayMs = 24 * 60 * 60 * 1000;

function daysAfter(iso: string | undefined, days: number): number | undefined {
  return iso === undefined ? undefined : Date.parse(iso) + days * dayMs;
}

/**
 * "May this respondent be asked now?" A respondent who answered is left alone for `minDaysAfterResponse`, one who was
 * asked (or drawn out of the sample) for `minDaysBetweenAsks`; the rest are asked with probability `sampleRate`
 * (`draw` is uniform in [0, 1)).
 */
export function askDecision(survey: Survey, state: RespondentState, now: Date, draw: number): AskDecision {
  if (survey.status !== 'active') return { ask: false, reason: 'survey_paused' };
  const time = now.getTime();
  const afterResponse = daysAfter(state.lastRespondedAt, survey.throttle.minDaysAfterResponse);
  if (afterResponse !== undefined && time < afterResponse) {
    return { ask: false, reason: 'responded_recently', nextAskAt: new Date(afterResponse).toISOString() };
  }
  const afterAsk = daysAfter(state.lastAskedAt, survey.throttle.minDaysBetweenAsks);
  if (afterAsk !== undefined && time < afterAsk) {
    return { ask: false, reason: 'asked_recently', nextAskAt: new Date(afterAsk).toISOString() };
  }
  if (draw >= survey.throttle.sampleRate) {
    return {
      ask: false,
      reason: 'not_sampled',
      nextAskAt: new Date(time + survey.throttle.minDaysBetweenAsks * dayMs).toISOString(),
    };
  }
  return { ask: true };
}
