import type { Feedback } from '@cxloop/events';

/**
 * The key that identifies a person across their feedback, for fatigue limits, unsubscribes and reopening their case:
 * the host's user id, else the e-mail address, else the widget's anonymous id. Undefined when the feedback is
 * anonymous, in which case nothing is tracked per person.
 */
export function personKeyOf(respondent: Feedback['respondent']): string | undefined {
  if (respondent.id) return `id:${respondent.id}`;
  if (respondent.email) return `email:${respondent.email.trim().toLowerCase()}`;
  if (respondent.anonymousId) return `anon:${respondent.anonymousId}`;
  return undefined;
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
