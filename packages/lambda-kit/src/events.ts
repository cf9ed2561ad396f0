import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import {
  buildDetail,
  type Causation,
  type EventContract,
  type EventData,
  type EventMetadata,
  eventBridgeEventSchema,
} from '@cxloop/events';
import type * as z from 'zod';

export interface EventToPublish<C extends EventContract = EventContract> {
  contract: C;
  data: z.input<C['dataSchema']>;
  causation: Causation;
  occurredAt?: Date;
}

export type PublishEvents = (events: readonly EventToPublish[]) => Promise<void>;

const PUT_EVENTS_MAX_ENTRIES = 10;

/** Validates each event against its contract, then puts it on the bus; throws if any entry was not accepted. */
export function eventPublisher(busName: string, client = new EventBridgeClient({})): PublishEvents {
  return async (events) => {
    const entries: PutEventsRequestEntry[] = events.map(({ contract, data, causation, occurredAt }) => ({
      EventBusName: busName,
      Source: contract.source,
      DetailType: contract.detailType,
      Detail: JSON.stringify(buildDetail(contract, data, causation, occurredAt)),
    }));
    for (let start = 0; start < entries.length; start += PUT_EVENTS_MAX_ENTRIES) {
      const batch = entries.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
      const result = await client.send(new PutEventsCommand({ Entries: batch }));
      if (result.FailedEntryCount) {
        const failures = (result.Entries ?? []).filter((entry) => entry.ErrorCode).map((entry) => entry.ErrorCode);
        throw new Error(
          `PutEvents rejected ${result.FailedEntryCount} of ${batch.length} entries: ${failures.join(', ')}`,
        );
      }
    }
  };
}

export interface ReceivedEvent<C extends EventContract> {
  id: string;
  metadata: EventMetadata;
  data: EventData<C>;
}

/** Parses an EventBridge event (as delivered to a target) with the contract's envelope schema. */
export function parseEvent<C extends EventContract>(contract: C, event: unknown): ReceivedEvent<C> {
  const parsed = eventBridgeEventSchema(contract).parse(event);
  const detail = parsed.detail as { metadata: EventMetadata; data: EventData<C> };
  return { id: parsed.id, metadata: detail.metadata, data: detail.data };
}
