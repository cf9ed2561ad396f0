import type { SurveyInvitation } from '../domain/invitations';
import { emailOfPersonKey } from '../domain/person';
import type { SuppressionStore } from '../store/suppressions';
import { type CancelInvitationsDeps, cancelPendingInvitations } from './cancel-invitations';

export interface UnsubscribeDeps extends CancelInvitationsDeps {
  suppressions: SuppressionStore;
}

export interface UnsubscribeResult {
  /** Every key now suppressed: the person's own, their e-mail address, the people keyed by id with that address. */
  personKeys: string[];
  unsubscribedAt: string;
  cancelled: SurveyInvitation[];
}

/**
 * Unsubscribes a person from everything: the sender checks the person key and the recipient address of every job,
 * so both are suppressed (for a person known by user id, their stored address too; for an address, the people
 * known by id who have it), and their pending invitations are cancelled. Idempotent; the first unsubscribe's time
 * and reason are kept.
 */
export async function unsubscribe(
  deps: UnsubscribeDeps,
  personKey: string,
  source: string,
  now: Date,
): Promise<UnsubscribeResult> {
  const email = emailOfPersonKey(personKey) ?? (await deps.people.get(personKey))?.email;
  const personKeys = [
    ...new Set([personKey, ...(email ? [`email:${email}`, ...(await deps.people.keysWithEmail(email))] : [])]),
  ];
  const at = now.toISOString();
  for (const key of personKeys) {
    await deps.suppressions.suppress({ personKey: key, reason: 'unsubscribed', at, source });
  }
  const cancelled = await cancelPendingInvitations(deps, personKeys, now, 'unsubscribed');
  return { personKeys, unsubscribedAt: at, cancelled };
}
