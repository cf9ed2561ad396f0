import { type RetentionPolicy, retentionPolicySchema } from '@cxloop/events';
import { daysAfter, feedbackRetainUntil, ttlOf } from '@cxloop/privacy';
import * as z from 'zod';
import { sameContent } from './responses';

/** `PUT /v1/retention`: the whole policy, optionally only if it is still at `expectedVersion` (0: the defaults). */
export const retentionPolicyUpdateSchema = retentionPolicySchema.extend({
  expectedVersion: z.number().int().nonnegative().optional(),
});
export type RetentionPolicyUpdate = z.infer<typeof retentionPolicyUpdateSchema>;

export interface StoredRetentionPolicy {
  policy: RetentionPolicy;
  /** 0 while the defaults apply (nothing stored yet). */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

/** What each duration covers, from the contract's own descriptions, and what no duration touches. */
export const retentionNotes = {
  ...(Object.fromEntries(
    Object.entries(retentionPolicySchema.shape).map(([name, schema]) => [name, schema.description ?? '']),
  ) as Record<keyof RetentionPolicy, string>),
  appliesTo:
    'Feedback received from now on: each piece of feedback carries the end of life it was given when it was received, so a change neither shortens nor extends what is already stored',
  scores:
    'Scores, channels and times stay in the anonymous histograms (NPS, CSAT and CES keep their history); erasing a person removes their text and contact details, not their score',
};

/**
 * Storing the policy in force again makes no new version (a retried PUT, or one whose answer was lost, changes
 * nothing and is published again); anything else is a new version, if the caller's expected version still holds.
 */
export function isRepeatOfPolicyInForce(current: StoredRetentionPolicy, requested: RetentionPolicy): boolean {
  return current.version > 0 && sameContent(current.policy, requested);
}

export interface EndOfLife {
  /** Stamped on the feedback (`Feedback.retainUntil`). */
  retainUntil: { text: string; contact: string };
  /** TTL of an item holding the feedback: its text and its respondent, whichever ends first. */
  expiresAt: number;
}

export function feedbackEndOfLife(policy: RetentionPolicy, receivedAt: Date): EndOfLife {
  const retainUntil = feedbackRetainUntil(policy, receivedAt);
  return { retainUntil, expiresAt: ttlOf(retainUntil.text, retainUntil.contact) as number };
}

/**
 * TTL of a respondent's throttle state (when they were last asked or answered): contact details, kept for
 * `contactDetailsDays` after the last contact, even when that is shorter than the survey's throttle periods.
 */
export function respondentStateExpiresAt(policy: RetentionPolicy, now: Date): number {
  return ttlOf(daysAfter(now, policy.contactDetailsDays)) as number;
}
