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
import { type BatchRetryOptions, untilProcessed } from './unprocessed';

export interface EventToPublish<C extends EventContract = EventContract> {
  contract: C;
  data: z.input<C['dataSchema']>;
  causation: Causation;
  occurredAt?: Date;
}

export type PublishEvents = (events: readonly EventToPublish[]) => Promise<void>;

const PUT_EVENTS_MAX_ENTRIES = 10;
/** Entry errors that EventBridge may not give again (a throttle, its own failure); any other is the entry's fault. */
const TRANSIENT_ENTRY_ERRORS = new Set(['ThrottlingException', 'InternalFailure']);

/**
 * Validates each event against its contract, then puts it on the bus. Entries EventBridge fails for a transient
 * reason are put again with backoff (a PutEvents call can succeed for some entries and fail for others); throws if
 * any entry fails for another reason or is still not accepted after the retries.
 */
export function eventPublisher(
  busName: string,
  client = new EventBridgeClient({}),
  retry: BatchRetryOptions = {},
): PublishEvents {
  return async (events) => {
    const entries: PutEventsRequestEntry[] = events.map(({ contract, data, causation, occurredAt }) => ({
      EventBusName: busName,
      Source: contract.source,
      DetailType: contract.detailType,
      Detail: JSON.stringify(buildDetail(contract, data, causation, occurredAt)),
    }));
    for (let start = 0; start < entries.length; start += PUT_EVENTS_MAX_ENTRIES) {
      await untilProcessed(
        'PutEvents',
        entries.slice(start, start + PUT_EVENTS_MAX_ENTRIES),
        async (pending) => {
          const result = await client.send(new PutEventsCommand({ Entries: pending }));
          if (!result.FailedEntryCount) return [];
          const failed = pending.flatMap((entry, index) => {
            const code = result.Entries?.[index]?.ErrorCode;
            return code ? [{ entry, code }] : [];
          });
          const refused = failed.filter(({ code }) => !TRANSIENT_ENTRY_ERRORS.has(code));
          if (refused.length > 0 || failed.length === 0) {
            const codes = (refused.length > 0 ? refused : failed).map(({ code }) => code);
            throw new Error(
              `PutEvents rejected ${result.FailedEntryCount} of ${pending.length} entries: ${codes.join(', ')}`,
            );
          }
          return failed.map(({ entry }) => entry);
        },
        retry,
      );
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
