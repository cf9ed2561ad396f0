import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '@cxloop/lambda-kit';
import { invitationDecision, type PersonContactHistory } from '../domain/fatigue';
import {
  type InvitePersonRequest,
  invitationChannelOf,
  invitationJob,
  newInvitationId,
  type SurveyInvitation,
  suppressionKeysOf,
} from '../domain/invitations';
import { messageLocaleOf } from '../domain/messages';
import { personKeyOfContact } from '../domain/person';
import type { EnqueueOutbound } from '../outbound/enqueue';
import type { InvitationSchedules, InvitationStore } from '../store/invitations';
import type { FatiguePolicyStore, PeopleStore, PersonProfile } from '../store/people';
import type { SuppressionStore } from '../store/suppressions';

export interface InvitationDeps {
  people: PeopleStore;
  invitations: InvitationStore;
  suppressions: SuppressionStore;
  fatigue: FatiguePolicyStore;
  schedules: InvitationSchedules;
  enqueue: EnqueueOutbound;
  /** The link to the hosted survey page for an invitation: signed for e-mail, short for SMS. */
  surveyUrl: (invitation: SurveyInvitation) => Promise<string>;
  newInvitationId?: () => string;
}

export type InvitePersonResult =
  | { status: 'saved'; person: PersonProfile }
  | { status: 'sent' | 'scheduled'; person: PersonProfile; invitation: SurveyInvitation }
  | { status: 'suppressed'; person: PersonProfile; invitation: SurveyInvitation; reason: string; until?: string };

/** Reservation attempts when concurrent transactions on the same person keep cancelling each other. */
const MAX_ATTEMPTS = 4;

const historyOf = (person: PersonProfile): PersonContactHistory => ({
  firstSeenAt: person.firstSeenAt,
  ...(person.lastInvitedAt ? { lastInvitedAt: person.lastInvitedAt } : {}),
  ...(person.lastAnsweredAt ? { lastAnsweredAt: person.lastAnsweredAt } : {}),
});

/**
 * `POST /v1/people`: saves the person, then (unless `send` is false) invites them to the survey within the fatigue
 * limits. The decision is claimed with a conditional write on the person (see `InvitationStore.createReserved`), so
 * two concurrent requests for one person inside the interval end with exactly one invitation; the other is recorded
 * as suppressed (`recently_surveyed`, with the time the person may be invited again).
 */
export async function invitePerson(
  deps: InvitationDeps,
  request: InvitePersonRequest,
  now: Date,
): Promise<InvitePersonResult> {
  const personKey = personKeyOfContact(request);
  if (!personKey) throw new Error('A person needs an id, an e-mail address or a phone number');
  const { delay: _delay, send, surveyId, channel: _channel, ...details } = request;
  let person = await deps.people.upsert(personKey, details, now);
  const channel = invitationChannelOf(request);
  const to = channel === 'sms' ? person.phone : person.email;
  if (!send || !surveyId || !to) return { status: 'saved', person };

  const pending = (sendAt: Date): SurveyInvitation => ({
    invitationId: (deps.newInvitationId ?? newInvitationId)(),
    personKey,
    surveyId,
    channel,
    to,
    locale: messageLocaleOf(person.locale),
    ...(person.id ? { respondentId: person.id } : {}),
    template: 'survey_invitation',
    purpose: 'survey_invitation',
    status: 'pending',
    createdAt: now.toISOString(),
    sendAt: sendAt.toISOString(),
    ...(person.lastInvitedAt ? { previousLastInvitedAt: person.lastInvitedAt } : {}),
  });
  const suppressed = async (reason: string, until?: string): Promise<InvitePersonResult> => {
    const { previousLastInvitedAt: _unused, ...base } = pending(now);
    const invitation: SurveyInvitation = { ...base, status: 'suppressed', reason, ...(until ? { until } : {}) };
    await deps.invitations.create(invitation);
    return { status: 'suppressed', person, invitation, reason, ...(until ? { until } : {}) };
  };

  const suppression = await deps.suppressions.findAny(suppressionKeysOf({ personKey, to, channel }));
  if (suppression) return suppressed(suppression.reason);

  const policy = await deps.fatigue.get();
  const timeZone = person.timeZone ?? policy.defaultTimeZone;
  const notBefore = new Date(now.getTime() + request.delay * 1000);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const decision = invitationDecision({ history: historyOf(person), policy, surveyId, now, timeZone, notBefore });
    if (decision.decision === 'suppress') return suppressed(decision.reason, decision.until);

    const sendAt = decision.decision === 'send_now' ? now : new Date(decision.at);
    const invitation = pending(sendAt);
    const later = sendAt.getTime() > now.getTime();
    // Scheduled first: a schedule left behind by a crash finds no pending invitation and does nothing, while an
    // invitation without its schedule would never be sent.
    if (later) await deps.schedules.create(invitation.invitationId, sendAt);
    const outcome = await deps.invitations.createReserved(invitation, decision.reserveIfLastSurveyedBefore);
    if (outcome === 'reserved') {
      if (later) return { status: 'scheduled', person, invitation };
      const delivered = await sendReserved(deps, invitation, now);
      // Unsubscribed (or bounced) between the check above and the reservation: nothing was sent.
      if (delivered.status === 'suppressed') {
        return { status: 'suppressed', person, invitation: delivered, reason: delivered.reason ?? 'unsubscribed' };
      }
      return { status: 'sent', person, invitation: delivered };
    }
    if (later) await deps.schedules.delete(invitation.invitationId);
    if (outcome === 'exists') throw new Error(`Invitation id ${invitation.invitationId} is taken`);
    if (outcome === 'conflict') await sleep(10 + Math.random() * 40 * attempt);
    person = (await deps.people.get(personKey)) ?? person;
  }
  throw new ConflictError('Another invitation for this person is being decided; try again');
}

/**
 * Hands a just-reserved invitation to the outbound queue. When the queue refuses it, the invitation is cancelled and
 * the person's slot given back before the error goes up, so that the caller can simply retry.
 */
async function sendReserved(deps: InvitationDeps, invitation: SurveyInvitation, now: Date) {
  let refused = false;
  const enqueue: EnqueueOutbound = async (jobs, options) => {
    try {
      await deps.enqueue(jobs, options);
    } catch (error) {
      refused = true;
      throw error;
    }
  };
  try {
    return await deliverNow({ ...deps, enqueue }, invitation, now);
  } catch (error) {
    if (refused) {
      await deps.invitations.cancel(invitation.invitationId, now, 'delivery_failed');
      await deps.people.releaseReservation(invitation.personKey, invitation.sendAt, invitation.previousLastInvitedAt);
    }
    throw error;
  }
}

/**
 * Sends a pending invitation now: unless its person or address was suppressed meanwhile, its e-mail or SMS job goes on the
 * outbound queue (the sender sends each job id once, so doing this twice is harmless) and it is marked sent.
 */
export async function deliverNow(
  deps: Pick<InvitationDeps, 'invitations' | 'suppressions' | 'enqueue' | 'surveyUrl'>,
  invitation: SurveyInvitation,
  now: Date,
): Promise<SurveyInvitation> {
  const suppression = await deps.suppressions.findAny(suppressionKeysOf(invitation));
  if (suppression) {
    return (await deps.invitations.markSuppressed(invitation.invitationId, suppression.reason)) ?? invitation;
  }
  await deps.enqueue([invitationJob(invitation, await deps.surveyUrl(invitation))]);
  return (await deps.invitations.markSent(invitation.invitationId, now)) ?? { ...invitation, status: 'sent' };
}

export type DueOutcome = 'sent' | 'suppressed' | 'not_pending' | 'unknown';

/**
 * The InvitationDue function, called by the invitation's one-time schedule: checks again that the invitation is
 * still pending (not cancelled meanwhile) and its person not suppressed, then sends it. Idempotent: a second call
 * finds it sent.
 */
export async function deliverDueInvitation(
  deps: Pick<InvitationDeps, 'invitations' | 'suppressions' | 'enqueue' | 'surveyUrl'>,
  invitationId: string,
  now: Date,
): Promise<DueOutcome> {
  const invitation = await deps.invitations.get(invitationId);
  if (!invitation) return 'unknown';
  if (invitation.status !== 'pending') return 'not_pending';
  const delivered = await deliverNow(deps, invitation, now);
  return delivered.status === 'suppressed' ? 'suppressed' : 'sent';
}
