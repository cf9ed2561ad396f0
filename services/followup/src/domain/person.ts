import type { Feedback, PersonIdentifier } from '@cxloop/events';
import { identifierHash } from '@cxloop/privacy';

/**
 * The key that identifies a person across their feedback, for fatigue limits, unsubscribes and reopening their case:
 * the host's user id, else the e-mail address — each only when it was proven (signed, carried by an invitation, or
 * given by a verified provider). Undefined otherwise: an unproven id or address never joins anyone's case or record.
 */
export function personKeyOf(respondent: Feedback['respondent']): string | undefined {
  const { id, email } = provenContactOf(respondent);
  if (id) return `id:${id}`;
  if (email) return `email:${normalisedEmail(email)}`;
  return undefined;
}

/** The respondent's id and e-mail address that may be acted on: the proven ones only. */
export function provenContactOf(respondent: Feedback['respondent']): { id?: string; email?: string } {
  return {
    ...(respondent.id && respondent.verified ? { id: respondent.id } : {}),
    ...(respondent.email && respondent.emailVerified ? { email: respondent.email } : {}),
  };
}

/** What the respondent said about themselves without proof: kept on a case for the owner to see, never acted on. */
export function claimedContactOf(respondent: Feedback['respondent']): { claimedId?: string; claimedEmail?: string } {
  return {
    ...(respondent.id && !respondent.verified ? { claimedId: respondent.id } : {}),
    ...(respondent.email && !respondent.emailVerified ? { claimedEmail: respondent.email } : {}),
  };
}

/** How to reach a person, as an admin gives it (`POST /v1/people`) or as a resolved case carries it. */
export interface PersonContact {
  id?: string;
  email?: string;
  phone?: string;
}

export const normalisedEmail = (email: string) => email.trim().toLowerCase();

/**
 * The person key of a contact: the same precedence as `personKeyOf` (the host's user id, else the e-mail address),
 * with the phone number (E.164) last, for people who can only be reached by SMS.
 */
export function personKeyOfContact(contact: PersonContact): string | undefined {
  if (contact.id) return `id:${contact.id}`;
  if (contact.email) return `email:${normalisedEmail(contact.email)}`;
  if (contact.phone) return `phone:${contact.phone}`;
  return undefined;
}

/**
 * The person a path segment names (`/v1/people/{person}`): an e-mail address (URL-encoded by the caller), a phone
 * number in E.164, a person key as the API shows it (`id:…`, `email:…`, `phone:…`), else the host's user id.
 */
export function personKeyOfPathSegment(segment: string): string {
  if (/^(id|email|phone):./.test(segment)) {
    return segment.startsWith('email:') ? `email:${normalisedEmail(segment.slice(6))}` : segment;
  }
  if (segment.includes('@')) return `email:${normalisedEmail(segment)}`;
  if (/^\+[1-9]\d{6,14}$/.test(segment)) return `phone:${segment}`;
  return `id:${segment}`;
}

/** The e-mail address in an `email:` person key. */
export const emailOfPersonKey = (personKey: string) =>
  personKey.startsWith('email:') ? personKey.slice('email:'.length) : undefined;

/** The hashed identifier behind a person key (`id:…`, `email:…`, `phone:…`), as erasure requests carry it. */
export function identifierOfPersonKey(personKey: string): PersonIdentifier {
  const separator = personKey.indexOf(':');
  const prefix = personKey.slice(0, separator);
  const value = personKey.slice(separator + 1);
  const kind = prefix === 'email' ? 'email' : prefix === 'phone' ? 'phone' : 'respondentId';
  return { kind, hash: identifierHash(kind, value) };
}
