import { randomUUID } from 'node:crypto';
import * as z from 'zod';

/** Reverse-DNS sources, one per service: the only publishers on the cxloop bus. */
export const EventSources = {
  collection: 'cxloop.collection',
  categorisation: 'cxloop.categorisation',
  aggregation: 'cxloop.aggregation',
  followUp: 'cxloop.followup',
} as const;
export type EventSource = (typeof EventSources)[keyof typeof EventSources];
/** A cxloop service, named by the last part of its event source (`cxloop.followup` → `followup`). */
export type ServiceName = EventSource extends `cxloop.${infer Name}` ? Name : never;

export const metadataSchema = z.object({
  eventId: z.string().min(1).describe('Unique per published event; consumers de-duplicate on it'),
  schemaVersion: z.number().int().positive().describe('Version of the data schema'),
  occurredAt: z.iso.datetime({ offset: true }).describe('When the business fact happened'),
  correlationId: z.string().min(1).describe('Shared by every event caused by the same original request'),
  causationId: z.string().min(1).optional().describe('eventId (or request id) of what caused this event'),
});
export type EventMetadata = z.infer<typeof metadataSchema>;

export interface EventContract<Data extends z.ZodType = z.ZodType> {
  readonly source: EventSource;
  readonly detailType: string;
  readonly version: number;
  readonly description: string;
  /** Services (by name) that consume this event; the catalog and CDK wiring are checked against it. */
  readonly consumers: readonly ServiceName[];
  readonly dataSchema: Data;
  readonly detailSchema: z.ZodObject<{ metadata: typeof metadataSchema; data: Data }>;
  readonly example: z.input<Data>;
}

export function defineEvent<Data extends z.ZodType>(definition: {
  source: EventSource;
  detailType: string;
  version: number;
  description: string;
  consumers: readonly ServiceName[];
  data: Data;
  example: z.input<Data>;
}): EventContract<Data> {
  return {
    source: definition.source,
    detailType: definition.detailType,
    version: definition.version,
    description: definition.description,
    consumers: definition.consumers,
    dataSchema: definition.data,
    detailSchema: z.object({ metadata: metadataSchema, data: definition.data }),
    example: definition.example,
  };
}

export type EventData<C extends EventContract> = z.output<C['dataSchema']>;
export type EventDetail<C extends EventContract> = { metadata: EventMetadata; data: EventData<C> };

/** Name under which a contract version is published: `source@DetailType-vN`. */
export function contractId(contract: Pick<EventContract, 'source' | 'detailType' | 'version'>): string {
  return `${contract.source}@${contract.detailType}-v${contract.version}`;
}

export interface Causation {
  correlationId: string;
  causationId?: string;
}

/** Validates `data` against the contract and wraps it in the envelope; throws a ZodError on bad data. */
export function buildDetail<C extends EventContract>(
  contract: C,
  data: z.input<C['dataSchema']>,
  causation: Causation,
  occurredAt: Date = new Date(),
): EventDetail<C> {
  return contract.detailSchema.parse({
    metadata: {
      eventId: randomUUID(),
      schemaVersion: contract.version,
      occurredAt: occurredAt.toISOString(),
      correlationId: causation.correlationId,
      ...(causation.causationId ? { causationId: causation.causationId } : {}),
    },
    data,
  }) as EventDetail<C>;
}

/**
 * The whole EventBridge event as a target receives it, with `detail` parsed by the contract's envelope. Written here
 * rather than extending Powertools' `EventBridgeSchema`, which imports all of zod (≈450 KB in every bundle).
 */
export function eventBridgeEventSchema<C extends EventContract>(contract: C) {
  return z
    .object({
      version: z.string(),
      id: z.string(),
      'detail-type': z.literal(contract.detailType),
      source: z.literal(contract.source),
      account: z.string(),
      time: z.iso.datetime({ offset: true }),
      region: z.string(),
      resources: z.array(z.string()),
      detail: contract.detailSchema,
      'replay-name': z.string().optional(),
    })
    .meta({ title: contractId(contract), description: contract.description });
}

/** The EventBridge pattern that selects exactly this contract's events, of this version only. */
export function eventPattern(contract: EventContract) {
  return {
    source: [contract.source],
    'detail-type': [contract.detailType],
    detail: { metadata: { schemaVersion: [contract.version] } },
  };
}
