import { createHmac } from 'node:crypto';
import { identifierHash } from '@cxloop/privacy';
import * as z from 'zod';
import { secretsEqual } from './api-keys';
import type { Survey } from './surveys';

/**
 * Who answers, as a widget or hosted page posts it: an anonymous browser/device id, and/or the host site's user id
 * with `signature` = hex HMAC-SHA256(survey identity secret, id), and/or an e-mail address with `emailSignature`
 * (see {@link signRespondentEmail}), both computed on the host's server. Without its signature an id or an address
 * is only a claim: it is kept and shown as such, never used to reach or recognise a person.
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
    email: z.email().max(254).optional(),
    emailSignature: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'expected the hex HMAC-SHA256 of respondent.email under the e-mail key')
      .optional(),
  })
  .refine((respondent) => respondent.signature === undefined || respondent.id !== undefined, {
    message: 'a signature needs the respondent.id it signs',
    path: ['signature'],
  })
  .refine((respondent) => respondent.emailSignature === undefined || respondent.email !== undefined, {
    message: 'an emailSignature needs the respondent.email it signs',
    path: ['emailSignature'],
  });
export type RespondentInput = z.infer<typeof respondentInputSchema>;

export interface Respondent {
  id?: string;
  /** True only when `id` came with a valid signature: consumers may trust only a verified id. */
  verified: boolean;
  anonymousId?: string;
  email?: string;
  /** True only when `email` was proven (its signature, or an invitation that carried it): only then is it mailed. */
  emailVerified: boolean;
}

export class RespondentSignatureError extends Error {
  constructor(
    /** `signature` or `emailSignature`: the field of `respondent` that failed. */
    readonly field: 'signature' | 'emailSignature',
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'RespondentSignatureError';
  }
}

export function signRespondentId(identitySecret: string, id: string): string {
  return createHmac('sha256', identitySecret).update(id, 'utf8').digest('hex');
}

/**
 * `emailSignature` = hex HMAC-SHA256(e-mail key, lower-cased address), where the e-mail key is
 * HMAC-SHA256(identity secret, "cxloop-respondent-email"). A key of its own, so that no user id a host signs (which
 * a user may have chosen) can ever pass for a signed address.
 */
export function signRespondentEmail(identitySecret: string, email: string): string {
  const emailKey = createHmac('sha256', identitySecret).update('cxloop-respondent-email').digest();
  return createHmac('sha256', emailKey).update(email.trim().toLowerCase(), 'utf8').digest('hex');
}

/**
 * An id without a signature is kept as unverified (a claim, not a proof); a signature that does not match is refused
 * rather than downgraded, because it means a forgery or a misconfigured host.
 */
export function identifyRespondent(input: RespondentInput | undefined, identitySecret: string | undefined): Respondent {
  const respondent: Respondent = {
    verified: false,
    emailVerified: false,
    ...(input?.id ? { id: input.id } : {}),
    ...(input?.anonymousId ? { anonymousId: input.anonymousId } : {}),
    ...(input?.email ? { email: input.email } : {}),
  };
  const signedId = input?.signature !== undefined && input.id !== undefined;
  const signedEmail = input?.emailSignature !== undefined && input.email !== undefined;
  if (!signedId && !signedEmail) return respondent;
  if (!identitySecret)
    throw new RespondentSignatureError('signature', 'the survey has no identity secret to check it with');
  // Both checks always run when both are given, so the timing does not tell which one failed.
  const idMatches =
    signedId && secretsEqual(input.signature!.toLowerCase(), signRespondentId(identitySecret, input.id!));
  const emailMatches =
    signedEmail && secretsEqual(input.emailSignature!.toLowerCase(), signRespondentEmail(identitySecret, input.email!));
  if (signedId && !idMatches) throw new RespondentSignatureError('signature', 'does not match respondent.id');
  if (signedEmail && !emailMatches)
    throw new RespondentSignatureError('emailSignature', 'does not match respondent.email');
  return { ...respondent, verified: idMatches, emailVerified: emailMatches };
}

/**
 * The identity that throttling and per-respondent limits count by: a proven user id, else the anonymous id. Hashed,
 * so that the keys of throttle state and rate counters hold no id.
 */
export function respondentKey(respondent: Respondent): string | undefined {
  if (respondent.verified && respondent.id) return `user:${identifierHash('respondentId', respondent.id)}`;
  if (respondent.anonymousId) return `anon:${identifierHash('respondentId', respondent.anonymousId)}`;
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
