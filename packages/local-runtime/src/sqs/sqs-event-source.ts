import { compileEventPattern } from '@cxloop/event-pattern';
import type { Clock, Timescale } from '../clock';
import type { InvokeOutcome } from '../lambda/function-pool';
import type { EventSourceMappingDefinition } from '../template/resources/functions';
import type { Queue, QueueMessage } from './queue';
import { systemAttributes } from './queue';

export interface SqsEventSourceDependencies {
  invoke: (event: { Records: SqsRecord[] }) => Promise<InvokeOutcome>;
  clock: Clock;
  timescale: Timescale;
  region: string;
  /** Most batches in flight at once (ScalingConfig.MaximumConcurrency, reserved concurrency, pool size). */
  maxConcurrency: number;
  log: (line: string) => void;
}

/** A record of the SQS event Lambda passes to the function. */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<
    string,
    {
      stringValue?: string;
      binaryValue?: string;
      stringListValues: string[];
      binaryListValues: string[];
      dataType: string;
    }
  >;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/**
 * Lambda's SQS poller for one event source mapping: gathers batches (BatchSize, MaximumBatchingWindowInSeconds),
 * invokes the function, deletes what succeeded and leaves failures to reappear after the visibility timeout, honouring
 * ReportBatchItemFailures and the filter criteria.
 */
export class SqsEventSource {
  private batchesInFlight = 0;
  private window: { elapsed: boolean; cancel: () => void } | undefined;
  private stopListening: (() => void) | undefined;
  private readonly filters: Array<(record: unknown) => boolean>;

  constructor(
    readonly mapping: EventSourceMappingDefinition,
    private readonly queue: Queue,
    private readonly deps: SqsEventSourceDependencies,
  ) {
    this.filters = mapping.filterPatterns.map((pattern) => compileEventPattern(pattern));
  }

  start(): void {
    if (!this.mapping.enabled || this.stopListening) return;
    this.stopListening = this.queue.onAvailable(() => this.poll());
    this.poll();
  }

  stop(): void {
    this.stopListening?.();
    this.stopListening = undefined;
    this.closeWindow();
  }

  private poll(): void {
    while (this.stopListening && this.batchesInFlight < this.deps.maxConcurrency) {
      const visible = this.queue.stats().visible;
      if (visible === 0) return;
      if (visible < this.mapping.batchSize && !this.windowElapsed()) return;
      this.closeWindow();
      const messages = this.queue.receiveHeld(this.mapping.batchSize);
      if (messages.length === 0) return;
      const batch = this.withoutFilteredOut(messages);
      if (batch.length === 0) continue;
      this.batchesInFlight += 1;
      void this.process(batch).finally(() => {
        this.batchesInFlight -= 1;
        this.poll();
      });
    }
  }

  /**
   * Whether the batching window that opened with the first waiting message has passed; opens it if needed. The
   * timer itself marks the end (timers and Date.now() may disagree by a millisecond).
   */
  private windowElapsed(): boolean {
    const windowMs = this.deps.timescale(this.mapping.batchingWindowSeconds);
    if (windowMs <= 0) return true;
    if (!this.window) {
      const window = {
        elapsed: false,
        cancel: this.deps.clock.schedule(windowMs, () => {
          window.elapsed = true;
          this.poll();
        }),
      };
      this.window = window;
    }
    return this.window.elapsed;
  }

  private closeWindow(): void {
    this.window?.cancel();
    this.window = undefined;
  }

  /** Messages no filter matches are deleted without invoking the function, as Lambda does for SQS. */
  private withoutFilteredOut(messages: QueueMessage[]): QueueMessage[] {
    if (this.filters.length === 0) return messages;
    return messages.filter((message) => {
      const record = this.record(message);
      let body: unknown = record.body;
      try {
        body = JSON.parse(record.body);
      } catch {}
      const kept = this.filters.some((matches) => matches({ ...record, body }));
      if (!kept) this.queue.delete(message.receiptHandle as string);
      return kept;
    });
  }

  private async process(messages: QueueMessage[]): Promise<void> {
    const receivedAt = this.deps.clock.now();
    const records = messages.map((message) => this.record(message));
    const outcome = await this.deps.invoke({ Records: records });
    let failed: Set<string> | undefined = new Set(records.map((record) => record.messageId));
    if (outcome.ok) {
      failed = this.mapping.reportBatchItemFailures ? failedItems(outcome.payload, records) : new Set<string>();
      if (failed === undefined) {
        this.deps.log(
          `[${this.mapping.functionName}] invalid batchItemFailures in the response: the whole batch fails`,
        );
        failed = new Set(records.map((record) => record.messageId));
      }
    }
    for (const record of records) {
      if (failed.has(record.messageId)) this.queue.release(record.receiptHandle, receivedAt);
      else this.queue.delete(record.receiptHandle);
    }
  }

  private record(message: QueueMessage): SqsRecord {
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle as string,
      body: message.body,
      attributes: systemAttributes(message),
      messageAttributes: Object.fromEntries(
        Object.entries(message.messageAttributes).map(([name, value]) => [
          name,
          {
            ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
            ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
            stringListValues: [],
            binaryListValues: [],
            dataType: value.DataType,
          },
        ]),
      ),
      md5OfBody: message.md5OfBody,
      ...(message.md5OfMessageAttributes ? { md5OfMessageAttributes: message.md5OfMessageAttributes } : {}),
      eventSource: 'aws:sqs',
      eventSourceARN: this.queue.definition.arn,
      awsRegion: this.deps.region,
    };
  }
}

/**
 * The message ids a ReportBatchItemFailures response names, or undefined when the response is invalid (then Lambda
 * treats the whole batch as failed). An empty or missing list means every record succeeded.
 */
export function failedItems(payload: unknown, records: Array<{ messageId: string }>): Set<string> | undefined {
  if (payload === null || payload === undefined || typeof payload !== 'object') return new Set();
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return undefined;
  const ids = new Set(records.map((record) => record.messageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return undefined;
    failed.add(id);
  }
  return failed;
}
