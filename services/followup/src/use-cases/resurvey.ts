import type { CaseResolved, EventData } from '@cxloop/events';
import { outsideQuietHours } from '../domain/fatigue';
import { resurveyInvitationId, type SurveyInvitation, suppressionKeysOf } from '../domain/invitations';
import { messageLocaleOf } from '../domain/messages';
import { personKeyOfContact } from '../domain/person';
import { deliverNow, type InvitationDeps } from './invite-person';

export type ResurveyOutcome = 'skipped' | 'sent' | 'scheduled' | 'suppressed' | 'cancelled';

/**
 * A resolved case (status `resolved`; `closed` ones are skipped) with a re-survey configured (`resurveySurveyId`) and a customer with an e-mail address (or, known by user id, a phone number: by SMS) gets one
 * invitation to rate the resolution (template `resolution_survey`), sent now or, in the customer's quiet hours, when
 * they end. It bypasses the global minimum interval and the new-contact delay on purpose: the customer raised the
 * problem and is waiting to hear back, so this is an answer to them rather than an unsolicited survey; it still
 * counts as their latest invitation for the fatigue limits of later ones. Unsubscribed, bounced or complained
 * addresses get nothing. One invitation per case, however often CaseResolved is delivered.
 */
export async function resurvey(
  deps: InvitationDeps,
  resolved: EventData<typeof CaseResolved>,
  now: Date,
): Promise<ResurveyOutcome> {
  const surveyId = resolved.resurveySurveyId;
  const email = resolved.respondent?.email;
  const id = resolved.respondent?.id;
  // A customer known by their user id with no e-mail address is texted, when their profile has a phone number.
  const phone = !email && id ? (await deps.people.get(`id:${id}`))?.phone : undefined;
  // A case closed without a resolution (spam, a duplicate) is not worth asking "did we solve your problem?".
  if (resolved.status !== 'resolved' || !surveyId || (!email && !phone)) return 'skipped';
  const contact = { ...(id ? { id } : {}), ...(email ? { email } : {}) };
  const personKey = personKeyOfContact(contact) as string;
  const invitationId = resurveyInvitationId(resolved.caseId);

  const existing = await deps.invitations.get(invitationId);
  if (existing) return resume(deps, existing, now);

  const locale = resolved.respondent?.locale;
  const person = await deps.people.upsert(personKey, { ...contact, ...(locale ? { locale } : {}) }, now);
  const base = {
    invitationId,
    personKey,
    surveyId,
    channel: email ? ('email' as const) : ('sms' as const),
    to: email ? (person.email ?? email.toLowerCase()) : (phone as string),
    locale: messageLocaleOf(person.locale),
    ...(person.id ? { respondentId: person.id } : {}),
    template: 'resolution_survey' as const,
    purpose: 'resurvey' as const,
    caseId: resolved.caseId,
    createdAt: now.toISOString(),
  };

  const suppression = await deps.suppressions.findAny(suppressionKeysOf(base));
  if (suppression) {
    await deps.invitations.create({
      ...base,
      status: 'suppressed',
      reason: suppression.reason,
      sendAt: base.createdAt,
    });
    return 'suppressed';
  }

  const policy = await deps.fatigue.get();
  const sendAt = outsideQuietHours(now, policy.quietHours, person.timeZone ?? policy.defaultTimeZone);
  const invitation: SurveyInvitation = { ...base, status: 'pending', sendAt: sendAt.toISOString() };
  const later = sendAt.getTime() > now.getTime();
  if (later) await deps.schedules.create(invitationId, sendAt);
  if (!(await deps.invitations.create(invitation))) {
    // A concurrent delivery of the same event recorded it first: carry on with what it recorded.
    const recorded = await deps.invitations.get(invitationId);
    return recorded ? resume(deps, recorded, now) : 'skipped';
  }
  await deps.people.recordInvited(personKey, invitation.sendAt);
  if (later) return 'scheduled';
  return (await deliverNow(deps, invitation, now)).status === 'suppressed' ? 'suppressed' : 'sent';
}

/** A redelivered event finds its invitation: a pending one is sent or scheduled again (both idempotent). */
async function resume(deps: InvitationDeps, invitation: SurveyInvitation, now: Date): Promise<ResurveyOutcome> {
  if (invitation.status !== 'pending') return invitation.status;
  if (Date.parse(invitation.sendAt) > now.getTime()) {
    await deps.schedules.create(invitation.invitationId, new Date(invitation.sendAt));
    return 'scheduled';
  }
  return (await deliverNow(deps, invitation, now)).status === 'suppressed' ? 'suppressed' : 'sent';
}
