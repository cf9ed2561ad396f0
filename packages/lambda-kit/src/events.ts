import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import {
  buildDetail,
  type Causation,
  type EventContract,
  type EventData,
  type EventMetadata,
  eventBridgeEventSchema,
} from '@cxloop/events';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { logger } from './logger';

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

/**
 * An SQS-triggered consumer of EventBridge events (rule → queue → function). Each record is handled on its own and
 * reported as a partial batch failure when it throws, so one bad record neither blocks nor re-runs the others; a
 * record that keeps failing goes to the queue's DLQ after maxReceiveCount.
 */
export function sqsEventConsumer<C extends EventContract>(
  contract: C,
  handleEvent: (event: ReceivedEvent<C>, record: SQSRecord) => Promise<void>,
) {
  return sqsEventsConsumer([eventRoute(contract, handleEvent)]);
}

export interface EventRoute<C extends EventContract = EventContract> {
  contract: C;
  handle: (event: ReceivedEvent<C>, record: SQSRecord) => Promise<void>;
}

/** Types the pair, so that `handle` receives the events of its own contract. */
export const eventRoute = <C extends EventContract>(
  contract: C,
  handle: (event: ReceivedEvent<C>, record: SQSRecord) => Promise<void>,
): EventRoute => ({ contract, handle }) as unknown as EventRoute;

/**
 * {@link sqsEventConsumer} for a queue that receives several contracts (one rule with `$or`): each record goes to the
 * route of its source and detail-type; one of no route fails alone (and ends in the DLQ) rather than being dropped.
 */
export function sqsEventsConsumer(routes: readonly EventRoute[]) {
  const processor = new BatchProcessor(EventType.SQS);
  const routeOf = (source: unknown, detailType: unknown) =>
    routes.find((route) => route.contract.source === source && route.contract.detailType === detailType);
  const processRecord = async (record: SQSRecord) => {
    const body = JSON.parse(record.body) as { source?: unknown; 'detail-type'?: unknown };
    const route = routeOf(body.source, body['detail-type']);
    if (!route) throw new Error(`No route for ${String(body.source)} ${String(body['detail-type'])}`);
    const event = parseEvent(route.contract, body);
    logger.appendKeys({ correlationId: event.metadata.correlationId, eventId: event.metadata.eventId });
    try {
      await route.handle(event, record);
    } finally {
      logger.removeKeys(['correlationId', 'eventId']);
    }
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, processRecord, processor, { context });
}
