import type { PersonIdentifier } from '@cxloop/events';
import { personIdentifiers } from '@cxloop/privacy';
import { emailOfPersonKey, identifierOfPersonKey } from './person';

/** Every service erases what it holds and reports; the erasure is complete when all of them did. */
export const erasureServices = ['collection', 'categorisation', 'aggregation', 'followup'] as const;
export type ErasureService = (typeof erasureServices)[number];

export interface ErasureReport {
  items: Record<string, number>;
  erasedAt: string;
}

export interface ErasureRecord {
  erasureId: string;
  requestedAt: string;
  /** How many hashed identifiers the request carried (the person's own, and those linked to them here). */
  identifierCount: number;
  services: Partial<Record<ErasureService, ErasureReport>>;
}

export function erasureStatus(record: ErasureRecord): 'pending' | 'complete' {
  return erasureServices.every((service) => record.services[service]) ? 'complete' : 'pending';
}

/** `GET /v1/erasures/{erasureId}`. */
export function erasureView(record: ErasureRecord) {
  const status = erasureStatus(record);
  const reported = Object.values(record.services).map((report) => report.erasedAt);
  return {
    erasureId: record.erasureId,
    status,
    requestedAt: record.requestedAt,
    ...(status === 'complete' ? { completedAt: reported.sort().at(-1) } : {}),
    services: Object.fromEntries(
      erasureServices.map((service) => [service, record.services[service] ?? { status: 'pending' }]),
    ),
  };
}

/** What follow-up knows links a person key to: the profile's id, address and phone. */
export interface LinkedContact {
  personKey: string;
  id?: string;
  email?: string;
  phone?: string;
}

/**
 * The identifiers an erasure covers: the one asked for, and every id, address and phone number follow-up holds for
 * the same person (a user id with an address, the address with its user id), each once.
 */
export function erasureIdentifiers(
  personKeys: readonly string[],
  linked: readonly LinkedContact[],
): PersonIdentifier[] {
  const identifiers = [
    ...personKeys.map(identifierOfPersonKey),
    ...personKeys.flatMap((personKey) => personIdentifiers({ email: emailOfPersonKey(personKey) })),
    ...linked.flatMap((contact) => [
      identifierOfPersonKey(contact.personKey),
      ...personIdentifiers({ respondentId: contact.id, email: contact.email, phone: contact.phone }),
    ]),
  ];
  return [...new Map(identifiers.map((identifier) => [identifier.hash, identifier])).values()];
}
