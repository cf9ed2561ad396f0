import type { SurveyInvitation } from '../domain/invitations';
import { emailOfPersonKey, personKeyOfPathSegment } from '../domain/person';
import type { InvitationSchedules, InvitationStore } from '../store/invitations';
import type { PeopleStore } from '../store/people';

export interface CancelInvitationsDeps {
  people: PeopleStore;
  invitations: InvitationStore;
  schedules: InvitationSchedules;
}

/**
 * The person keys a `/v1/people/{person}` path names: an e-mail address also names the people keyed by their user
 * id who have that address.
 */
export async function personKeysOfPathSegment(
  deps: { people: Pick<PeopleStore, 'keysWithEmail'> },
  segment: string,
): Promise<string[]> {
  const personKey = personKeyOfPathSegment(segment);
  const email = emailOfPersonKey(personKey);
  return [...new Set([personKey, ...(email ? await deps.people.keysWithEmail(email) : [])])];
}

/**
 * Cancels every pending invitation of these people: the record first (so that a schedule firing meanwhile finds it
 * no longer pending), then its schedule, then the person's fatigue slot is given back. Idempotent: a second call
 * finds nothing pending and cancels nothing.
 */
export async function cancelPendingInvitations(
  deps: CancelInvitationsDeps,
  personKeys: readonly string[],
  now: Date,
  reason = 'cancelled',
): Promise<SurveyInvitation[]> {
  const cancelled: SurveyInvitation[] = [];
  for (const personKey of personKeys) {
    for (const pending of await deps.invitations.listPending(personKey)) {
      const invitation = await cancelInvitation(deps, pending.invitationId, now, reason);
      if (invitation) cancelled.push(invitation);
    }
  }
  return cancelled;
}

/** Cancels one invitation if it is still pending (as above); undefined when it was not. */
export async function cancelInvitation(
  deps: CancelInvitationsDeps,
  invitationId: string,
  now: Date,
  reason = 'cancelled',
): Promise<SurveyInvitation | undefined> {
  const invitation = await deps.invitations.cancel(invitationId, now, reason);
  if (!invitation) return undefined;
  await deps.schedules.delete(invitation.invitationId);
  await deps.people.releaseReservation(invitation.personKey, invitation.sendAt, invitation.previousLastInvitedAt);
  return invitation;
}
