import * as z from 'zod';
import { defineEvent, type EventContract, type EventSource, EventSources, type ServiceName } from './contract';

const isoTime = () => z.iso.datetime({ offset: true });

export const personIdentifierKinds = ['email', 'phone', 'respondentId'] as const;

export const personIdentifierSchema = z.object({
  kind: z.enum(personIdentifierKinds),
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe(
      'SHA-256 (hex) of the normalised identifier, as `@cxloop/privacy` computes it: events never carry the value',
    ),
});
export type PersonIdentifier = z.infer<typeof personIdentifierSchema>;

export const PersonErasureRequested = defineEvent({
  source: EventSources.followUp,
  detailType: 'PersonErasureRequested',
  version: 1,
  description:
    'An admin asked to erase a person. Carries only hashes of every identifier known for them; each service erases or irreversibly anonymises what it holds and answers PersonErased.',
  consumers: ['collection', 'categorisation', 'aggregation', 'followup'],
  data: z.object({
    erasureId: z.string().min(1),
    identifiers: z.array(personIdentifierSchema).min(1).max(50),
    requestedAt: isoTime(),
  }),
  example: {
    erasureId: 'er_01JD8XA0B1C2D3E4F5G6H7J8K9',
    identifiers: [{ kind: 'email', hash: '8c1f6c5f2a0b7f6e4b1f0d3e1a9c7b5d3f1e0c9a8b7d6e5f4a3b2c1d0e9f8a7b' }],
    requestedAt: '2026-12-07T10:00:00.000Z',
  },
});

const personErasedData = z.object({
  erasureId: z.string().min(1),
  service: z.enum(['collection', 'categorisation', 'aggregation', 'followup']),
  items: z
    .record(z.string(), z.number().int().nonnegative())
    .describe('What was erased or anonymised, by kind of item (e.g. responses: 3)'),
  erasedAt: isoTime(),
});

function personErased(source: EventSource, service: ServiceName, items: Record<string, number>) {
  return defineEvent({
    source,
    detailType: 'PersonErased',
    version: 1,
    description: `The ${service} service erased what it held on a person for an erasure request (answer to PersonErasureRequested).`,
    consumers: ['followup'],
    data: personErasedData,
    example: { erasureId: 'er_01JD8XA0B1C2D3E4F5G6H7J8K9', service, items, erasedAt: '2026-12-07T10:00:02.000Z' },
  });
}

/** One PersonErased contract per service: an event's source is always the service that did the erasing. */
export const PersonErased = {
  collection: personErased(EventSources.collection, 'collection', { responses: 2, respondents: 1 }),
  categorisation: personErased(EventSources.categorisation, 'categorisation', { results: 2, corrections: 0 }),
  aggregation: personErased(EventSources.aggregation, 'aggregation', { feedback: 2 }),
  followup: personErased(EventSources.followUp, 'followup', { people: 1, cases: 1, messages: 2, invitations: 1 }),
} as const satisfies Record<string, EventContract>;

export const retentionPolicySchema = z
  .object({
    feedbackTextDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .describe('Comments, answers and customer attributes of a response, and every copy of them'),
    contactDetailsDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .describe('Respondent ids, e-mail addresses and phone numbers, after the last contact or answer'),
    messagesDays: z.number().int().min(1).max(3650).describe('Sent messages and their log'),
    casesDays: z.number().int().min(1).max(3650).describe('Follow-up cases with their notes, after the last change'),
  })
  .describe('How long personal data is kept; scores stay in the anonymous histograms');
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

export const RetentionPolicyChanged = defineEvent({
  source: EventSources.collection,
  detailType: 'RetentionPolicyChanged',
  version: 1,
  description:
    'An admin changed how long personal data is kept. Collection stamps every new response with its end of life; follow-up keeps its own copy of the policy for messages, cases and people.',
  consumers: ['followup'],
  data: z.object({ policy: retentionPolicySchema, version: z.number().int().positive(), changedAt: isoTime() }),
  example: {
    policy: { feedbackTextDays: 1095, contactDetailsDays: 730, messagesDays: 400, casesDays: 1095 },
    version: 2,
    changedAt: '2026-12-07T10:00:00.000Z',
  },
});
