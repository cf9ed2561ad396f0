import { createHash } from 'node:crypto';
import type { Feedback, PersonIdentifier } from '@cxloop/events';

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

const normalise = (kind: PersonIdentifier['kind'], value: string) =>
  kind === 'email' ? normaliseEmail(value) : kind === 'phone' ? value.replace(/[^\d+]/g, '') : value;

/**
 * The hash by which every service finds what it holds on a person, and which erasure requests carry instead of the
 * identifier itself. Unkeyed (every service computes it without sharing a secret); it hides identifiers from logs,
 * events and keys, not from someone who already has a list of addresses to try.
 */
export function identifierHash(kind: PersonIdentifier['kind'], value: string): string {
  return createHash('sha256')
    .update(`cxloop.person.v1|${kind}|${normalise(kind, value)}`)
    .digest('hex');
}

export interface PersonSubject {
  respondentId?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
}

/** The hashed identifiers of a person, proven or merely claimed: an erasure covers both. */
export function personIdentifiers(subject: PersonSubject): PersonIdentifier[] {
  const identifiers: PersonIdentifier[] = [];
  if (subject.respondentId)
    identifiers.push({ kind: 'respondentId', hash: identifierHash('respondentId', subject.respondentId) });
  if (subject.email) identifiers.push({ kind: 'email', hash: identifierHash('email', subject.email) });
  if (subject.phone) identifiers.push({ kind: 'phone', hash: identifierHash('phone', subject.phone) });
  return identifiers;
}

export function respondentIdentifiers(respondent: Feedback['respondent']): PersonIdentifier[] {
  return personIdentifiers({ respondentId: respondent.id, email: respondent.email });
}
