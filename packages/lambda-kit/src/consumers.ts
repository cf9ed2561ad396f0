import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { EventContract } from '@cxloop/events';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import type { BusinessMetricName } from './business-metrics';
import { parseEvent, type ReceivedEvent } from './events';
import { logger, withLogContext } from './logger';

/** What a record's handler may ask of its invocation. */
export interface RecordTurn {
  record: SQSRecord;
  context: Context;
  /** True while more than the consumer's `reserveMs` of the invocation is left: long work stops and hands over. */
  hasTime: () => boolean;
}

/**
 * How records are read. `decode` throws for a record that cannot be read (it then fails alone); `logKeys` are the
 * keys every log line of that record carries (its correlation id).
 */
export interface RecordDecoder<T> {
  decode: (record: SQSRecord) => T;
  logKeys?: (item: T) => Record<string, string | undefined>;
}

export interface ConsumerOptions {
  /**
   * Records of a batch at once instead of in turn. Their log lines then carry no per-record keys (one logger serves
   * them all), so such a handler names the record in what it logs.
   */
  concurrent?: boolean;
  /**
   * With records in turn: a record is started only while more than `reserveMs` (the most one record may take) of
   * the invocation is left; the records after it are reported as failures without being started, so a slow batch
   * hands its tail back to the queue instead of timing out, which would fail the records already done as well.
   */
  reserveMs?: number;
  /** The business metrics the handler counts, flushed once per invocation (see `withLogContext`). */
  metrics?: readonly BusinessMetricName[];
}

/** A record handed back to the queue on purpose (a retry with backoff): reported as a failure, not logged as one. */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
}

/**
 * No early timeout from middy for a consumer: it would fail the whole batch just as the Lambda timeout does; the
 * `reserveMs` option is what hands a slow batch's tail back in time.
 */
const CONSUMER_MIDDY = { timeoutEarlyInMillis: 0 };

/**
 * The one way to consume an SQS queue: Powertools' BatchProcessor, each record handled on its own and reported as a
 * partial batch failure when it throws (a whole batch failing is reported too, never thrown), so one bad record
 * neither blocks nor re-runs the others; a record that keeps failing goes to the queue's DLQ after maxReceiveCount.
 */
export function sqsConsumer<T>(
  { decode, logKeys }: RecordDecoder<T>,
  handle: (item: T, turn: RecordTurn) => Promise<void>,
  { concurrent = false, reserveMs = 0, metrics }: ConsumerOptions = {},
) {
  const processor = new BatchProcessor(EventType.SQS);
  const handlerOptions = { middy: CONSUMER_MIDDY, metrics };
  return withLogContext(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const hasTime = () => context.getRemainingTimeInMillis() > reserveMs;
    let notStarted = 0;
    const processRecord = async (record: SQSRecord) => {
      if (reserveMs > 0 && (notStarted > 0 || !hasTime())) {
        notStarted++;
        throw new Error('Not started: the invocation has too little time left');
      }
      const keys: Record<string, string | undefined> = concurrent ? {} : { messageId: record.messageId };
      try {
        const item = decode(record);
        if (!concurrent) Object.assign(keys, logKeys?.(item));
        logger.appendKeys(keys);
        await handle(item, { record, context, hasTime });
      } catch (error) {
        if (!(error instanceof RetryLater)) {
          logger.error('Record failed', { error: error as Error, messageId: record.messageId });
        }
        throw error;
      } finally {
        logger.removeKeys(Object.keys(keys));
      }
    };
    const response = await processPartialResponse(event, processRecord, processor, {
      context,
      processInParallel: concurrent,
      throwOnFullBatchFailure: false,
    });
    if (notStarted > 0) logger.warn('Records handed back to the queue unstarted', { notStarted, reserveMs });
    return response;
  }, handlerOptions);
}

/** Records whose body is a JSON job, parsed with `schema`; a `correlationId` in the job goes on its log lines. */
export function jobRecords<S extends z.ZodType>(schema: S): RecordDecoder<z.output<S>> {
  return {
    decode: (record) => schema.parse(JSON.parse(record.body)),
    logKeys: (job) => {
      const correlationId = (job as { correlationId?: unknown } | undefined)?.correlationId;
      return typeof correlationId === 'string' ? { correlationId } : {};
    },
  };
}

/** A consumer of a job queue (records with a zod-parsed body): {@link sqsConsumer} with {@link jobRecords}. */
export function sqsJobConsumer<S extends z.ZodType>(
  schema: S,
  handle: (job: z.output<S>, turn: RecordTurn) => Promise<void>,
  options?: ConsumerOptions,
) {
  return sqsConsumer(jobRecords(schema), handle, options);
}

export interface EventRoute<C extends EventContract = EventContract> {
  contract: C;
  handle: (event: ReceivedEvent<C>, turn: RecordTurn) => Promise<void>;
}

/** Types the pair, so that `handle` receives the events of its own contract. */
export const eventRoute = <C extends EventContract>(
  contract: C,
  handle: (event: ReceivedEvent<C>, turn: RecordTurn) => Promise<void>,
): EventRoute => ({ contract, handle }) as unknown as EventRoute;

/**
 * Records that carry EventBridge events (rule → queue): each goes to the route of its source and detail-type and is
 * parsed with that contract; one of no route fails alone (and ends in the DLQ) rather than being dropped.
 */
export function eventRecords(
  routes: readonly EventRoute[],
): RecordDecoder<{ route: EventRoute; event: ReceivedEvent<EventContract> }> {
  return {
    decode: (record) => {
      const body = JSON.parse(record.body) as { source?: unknown; 'detail-type'?: unknown };
      const route = routes.find(
        ({ contract }) => contract.source === body.source && contract.detailType === body['detail-type'],
      );
      if (!route) throw new Error(`No route for ${String(body.source)} ${String(body['detail-type'])}`);
      return { route, event: parseEvent(route.contract, body) };
    },
    logKeys: ({ event }) => ({
      correlationId: event.metadata.correlationId,
      eventId: event.metadata.eventId,
      feedbackId: feedbackIdOf(event.data),
    }),
  };
}

/**
 * The feedback an event is about, for its log lines: events about one piece of feedback name it `feedbackId`, or
 * carry the feedback whole (FeedbackCategorised's `feedback`).
 */
function feedbackIdOf(data: unknown): string | undefined {
  const { feedbackId, feedback } = (data ?? {}) as { feedbackId?: unknown; feedback?: { feedbackId?: unknown } };
  const id = feedbackId ?? feedback?.feedbackId;
  return typeof id === 'string' ? id : undefined;
}

/** A consumer of a queue that receives several contracts (one rule with `$or`). */
export function sqsEventsConsumer(routes: readonly EventRoute[], options?: ConsumerOptions) {
  return sqsConsumer(eventRecords(routes), ({ route, event }, turn) => route.handle(event, turn), options);
}

/** A consumer of one contract's events. */
export function sqsEventConsumer<C extends EventContract>(
  contract: C,
  handle: (event: ReceivedEvent<C>, turn: RecordTurn) => Promise<void>,
  options?: ConsumerOptions,
) {
  return sqsEventsConsumer([eventRoute(contract, handle)], options);
}

/**
 * A consumer that handles the readable records of a batch together (aggregation counts a batch in shared
 * transactions). Unreadable records and those `handleBatch` returns the indexes of are reported as failures.
 */
export function sqsBatchConsumer<T>(
  { decode }: RecordDecoder<T>,
  handleBatch: (items: T[], context: Context) => Promise<readonly number[]>,
  { metrics }: Pick<ConsumerOptions, 'metrics'> = {},
) {
  const handlerOptions = { middy: CONSUMER_MIDDY, metrics };
  return withLogContext(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const readable: { messageId: string; item: T }[] = [];
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        readable.push({ messageId: record.messageId, item: decode(record) });
      } catch (error) {
        logger.error('Unreadable record', { error: error as Error, messageId: record.messageId });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    const failed = await handleBatch(
      readable.map(({ item }) => item),
      context,
    );
    for (const index of failed) batchItemFailures.push({ itemIdentifier: readable[index]!.messageId });
    return { batchItemFailures };
  }, handlerOptions);
}

/** Records of one contract's events, for {@link sqsBatchConsumer}. */
export function eventsOf<C extends EventContract>(contract: C): RecordDecoder<ReceivedEvent<C>> {
  const { decode } = eventRecords([eventRoute(contract, async () => {})]);
  return { decode: (record) => decode(record).event as ReceivedEvent<C> };
}
