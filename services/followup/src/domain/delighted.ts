import { delightedTimestamp, toUnixSeconds } from '@cxloop/http-contracts';
import * as z from 'zod';
import type { AutopilotConfiguration, AutopilotMembership, AutopilotPlatform } from './autopilot';
import { type InvitePersonRequest, invitePersonRequestSchema, type SurveyInvitation } from './invitations';
import { emailOfPersonKey, identifierOfPersonKey, normalisedEmail, personKeyOfContact } from './person';

/**
 * Follow-up's side of the Delighted-compatible API (`/delighted/v1/…`): Delighted's request fields and answer
 * shapes over follow-up's people, invitations, suppressions and Autopilot memberships.
 */

const contactFields = invitePersonRequestSchema.shape;

/**
 * A person's Delighted id: the hash by which cxloop indexes what it holds on them (of the e-mail address, else the
 * phone number), so that the id names nobody and `DELETE /people/{id}` finds the person with a Query.
 */
export const delightedPersonId = (personKey: string) => identifierOfPersonKey(personKey).hash;
const delightedIdPattern = /^[0-9a-f]{64}$/;

/** `POST /delighted/v1/people`, with Delighted's field names. */
export const delightedPersonRequestSchema = z
  .object({
    email: contactFields.email,
    phone_number: contactFields.phone,
    name: contactFields.name,
    properties: contactFields.properties,
    channel: z.enum(['email', 'sms']).optional(),
    delay: contactFields.delay,
    send: z.boolean().default(true),
    last_sent_at: delightedTimestamp.optional().describe('When the person was last surveyed elsewhere (Unix seconds)'),
    email_update: z.email().max(254).optional(),
    phone_number_update: contactFields.phone,
  })
  .superRefine((request, context) => {
    if (!request.email && !request.phone_number) {
      context.addIssue({ code: 'custom', path: ['email'], message: 'email or phone_number is required' });
      return;
    }
    const channel = request.channel ?? (request.email ? 'email' : 'sms');
    if (request.send && channel === 'sms' && !request.phone_number) {
      context.addIssue({ code: 'custom', path: ['phone_number'], message: 'required for the sms channel' });
    }
    if (request.send && channel === 'email' && !request.email) {
      context.addIssue({ code: 'custom', path: ['email'], message: 'required for the email channel' });
    }
    // cxloop knows a person by their address: a new one is a new person (delete the old one to forget it).
    if (request.email_update) {
      context.addIssue({ code: 'custom', path: ['email_update'], message: 'changing the e-mail is not supported' });
    }
    if (request.phone_number_update && !request.email) {
      context.addIssue({
        code: 'custom',
        path: ['phone_number_update'],
        message: 'supported for a person identified by email only',
      });
    }
  });
export type DelightedPersonRequest = z.output<typeof delightedPersonRequestSchema>;

/** The follow-up invitation request a Delighted person request makes, for the survey the key is bound to. */
export function invitationRequestOf(request: DelightedPersonRequest, surveyId: string): InvitePersonRequest {
  const phone = request.phone_number_update ?? request.phone_number;
  return {
    ...(request.email ? { email: request.email } : {}),
    ...(phone ? { phone } : {}),
    ...(request.name ? { name: request.name } : {}),
    ...(request.properties ? { properties: request.properties } : {}),
    surveyId,
    delay: request.delay,
    send: request.send,
    channel: request.channel ?? (request.email ? 'email' : 'sms'),
  };
}

/** The person key a Delighted person request identifies (the e-mail address, else the phone number). */
export const personKeyOfDelightedRequest = (request: DelightedPersonRequest) =>
  personKeyOfContact({ email: request.email, phone: request.phone_number }) as string;

/** `GET /delighted/v1/people` filters, besides paging. */
export const delightedPeopleQuerySchema = z.object({
  since: delightedTimestamp.optional(),
  until: delightedTimestamp.optional(),
  email: z.email().max(254).optional(),
  phone_number: contactFields.phone,
  page_info: z.string().max(2000).optional().describe('The cursor of the next page, as the Link header gives it'),
});

export type DelightedPersonReference = { personKey: string } | { id: string };

/**
 * The person a Delighted path segment names, as its clients build it (`person.delete({ email })` →
 * `email:anna@example.com`, `{ phone_number }` → `phone_number:+79991234567`, `{ id }` → the id itself).
 */
export function delightedPersonReference(segment: string): DelightedPersonReference | undefined {
  if (segment.startsWith('email:')) return { personKey: `email:${normalisedEmail(segment.slice('email:'.length))}` };
  if (segment.startsWith('phone_number:')) return { personKey: `phone:${segment.slice('phone_number:'.length)}` };
  if (delightedIdPattern.test(segment)) return { id: segment };
  return undefined;
}

export interface DelightedPersonDetails {
  personKey: string;
  email?: string;
  phone?: string;
  name?: string;
  firstSeenAt?: string;
  lastInvitedAt?: string;
  lastAnsweredAt?: string;
}

const unixOrNull = (iso: string | undefined) => (iso ? toUnixSeconds(iso) : null);

/**
 * Delighted's person. `lastInvitedAt` is the fatigue reservation, which a scheduled invitation sets to its future
 * send time: in the past it is `last_sent_at`, in the future `next_survey_scheduled_at`.
 */
export function delightedPerson(person: DelightedPersonDetails, now: Date) {
  const invited = person.lastInvitedAt;
  const scheduled = invited !== undefined && Date.parse(invited) > now.getTime();
  return {
    id: delightedPersonId(person.personKey),
    name: person.name ?? null,
    email: person.email ?? emailOfPersonKey(person.personKey) ?? null,
    phone_number: person.phone ?? null,
    created_at: unixOrNull(person.firstSeenAt) ?? toUnixSeconds(now),
    last_sent_at: scheduled ? null : unixOrNull(invited),
    last_responded_at: unixOrNull(person.lastAnsweredAt),
    next_survey_scheduled_at: scheduled ? toUnixSeconds(invited) : null,
  };
}

/** `POST /delighted/v1/people`'s answer: the person and when their survey goes out (null when none will). */
export function delightedPersonCreated(
  person: DelightedPersonDetails,
  invitation: SurveyInvitation | undefined,
  now: Date,
) {
  const scheduled = invitation && (invitation.status === 'pending' || invitation.status === 'sent');
  return {
    ...delightedPerson(person, now),
    survey_scheduled_at: scheduled ? toUnixSeconds(invitation.sendAt) : null,
  };
}

/** `GET /delighted/v1/unsubscribes` and `/bounces`: who, and when (`unsubscribed_at` or `bounced_at`). */
export function delightedSuppression(
  suppression: { personKey: string; at: string },
  name: string | undefined,
  timeField: 'unsubscribed_at' | 'bounced_at',
) {
  return {
    person_id: delightedPersonId(suppression.personKey),
    email: emailOfPersonKey(suppression.personKey) ?? null,
    name: name ?? null,
    [timeField]: toUnixSeconds(suppression.at),
  };
}

/** `since`/`until` of the unsubscribes and bounces lists. */
export const delightedSuppressionsQuerySchema = z.object({
  since: delightedTimestamp.optional(),
  until: delightedTimestamp.optional(),
  page_info: delightedPeopleQuerySchema.shape.page_info,
});

/** `GET /delighted/v1/autopilot/{platform}`. */
export function delightedAutopilotConfiguration(configuration: AutopilotConfiguration) {
  return {
    platform_id: configuration.platform,
    active: configuration.active,
    frequency: configuration.frequency,
    created_at: unixOrNull(configuration.createdAt),
    updated_at: unixOrNull(configuration.updatedAt),
  };
}

const platformContact = {
  person_email: z.email().max(254).optional(),
  person_phone_number: contactFields.phone,
  // The client's README passes `phone_number` to forSms().create and .delete: its users' code does too.
  phone_number: contactFields.phone,
};

/** `POST /delighted/v1/autopilot/{platform}/memberships`. */
export const delightedMembershipRequestSchema = z.object({
  ...platformContact,
  person_name: contactFields.name,
  properties: contactFields.properties,
});

/** `DELETE /delighted/v1/autopilot/{platform}/memberships?…`: exactly one way of naming the person. */
export const delightedMembershipDeleteQuerySchema = z.object({
  person_id: z.string().regex(delightedIdPattern, 'a person id as this API answers it').optional(),
  ...platformContact,
});

/**
 * The person a membership request names on a platform: by e-mail on `email`, by phone number on `sms`; a person id
 * only where the caller may give one (delete). Undefined with the parameter to name in the 422 otherwise.
 */
export function membershipPersonOf(
  platform: AutopilotPlatform,
  request: { person_id?: string; person_email?: string; person_phone_number?: string; phone_number?: string },
): { reference: DelightedPersonReference } | { missing: string } {
  if (request.person_id) return { reference: { id: request.person_id } };
  if (platform === 'email') {
    return request.person_email
      ? { reference: { personKey: `email:${normalisedEmail(request.person_email)}` } }
      : { missing: 'person_email' };
  }
  const phone = request.person_phone_number ?? request.phone_number;
  return phone ? { reference: { personKey: `phone:${phone}` } } : { missing: 'person_phone_number' };
}

/** A membership as Delighted lists it: the person, and the survey request the membership has coming, if any. */
export function delightedMembership(
  membership: AutopilotMembership,
  person: DelightedPersonDetails | undefined,
  next: SurveyInvitation | undefined,
  now: Date,
) {
  const { id, name, email, phone_number, created_at, last_sent_at } = delightedPerson(
    person ?? { personKey: membership.personKey, firstSeenAt: membership.createdAt },
    now,
  );
  const pending = next?.status === 'pending' ? next : undefined;
  const upcoming = pending?.sendAt ?? membership.nextRunAt;
  return {
    created_at: toUnixSeconds(membership.createdAt),
    updated_at: toUnixSeconds(membership.updatedAt),
    person: { id, name, email, created_at, phone_number, last_sent_at },
    next_survey_request: upcoming
      ? {
          id: pending?.invitationId ?? `${membership.membershipId}-next`,
          created_at: toUnixSeconds(pending?.createdAt ?? membership.updatedAt),
          survey_scheduled_at: toUnixSeconds(upcoming),
          properties: membership.properties,
        }
      : null,
  };
}
