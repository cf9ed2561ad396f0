import { randomUUID } from 'node:crypto';
import type { Activity } from '../activity';
import type { Clock, Timescale } from '../clock';
import type { InvokeOutcome } from './function-pool';
import type { LambdaError } from './worker/protocol';

/** How Lambda handles a function's asynchronous invocations (AWS::Lambda::EventInvokeConfig and DeadLetterConfig). */
export interface AsyncInvokeSettings {
  functionName: string;
  functionArn: string;
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  onFailure?: string;
  onSuccess?: string;
  deadLetterTargetArn?: string;
}

/** The record Lambda sends to an asynchronous invocation's destination. */
export interface InvocationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  responsePayload: unknown;
}

export interface AsyncInvokerDependencies {
  invoke: (functionName: string, event: unknown, requestId: string) => Promise<InvokeOutcome>;
  /** Sends a record to a destination (queue, bus or function ARN). */
  sendToDestination: (destinationArn: string, record: InvocationRecord, success: boolean) => void;
  /** Sends a failed event to the function's dead-letter queue. */
  sendToDeadLetterQueue: (queueArn: string, event: unknown, requestId: string, error: LambdaError) => void;
  clock: Clock;
  timescale: Timescale;
  activity: Activity;
  log: (line: string) => void;
}

/** Lambda waits a minute before the first retry of a failed event and two minutes before the second. */
const retryDelaySeconds = [60, 120];
/** Throttled events are retried with a growing delay, up to five minutes, until they are too old. */
const throttleDelaySeconds = (attempt: number) => Math.min(300, 2 ** attempt);

/**
 * Lambda's asynchronous invocation: the event is accepted at once, then run with retries; when it keeps failing (or
 * grows too old) it goes to the on-failure destination, or else to the function's dead-letter queue.
 */
export class AsyncInvoker {
  private readonly pendingRetries = new Set<() => void>();
  private stopped = false;

  constructor(private readonly deps: AsyncInvokerDependencies) {}

  /** Drops every pending retry (on shutdown). */
  stop(): void {
    this.stopped = true;
    for (const cancel of this.pendingRetries) cancel();
    this.pendingRetries.clear();
  }

  /** Queues an event for `settings.functionName` and returns its request id. */
  invoke(settings: AsyncInvokeSettings, event: unknown): string {
    const requestId = randomUUID();
    const done = this.deps.activity.begin(`async event for ${settings.functionName}`);
    const acceptedAt = this.deps.clock.now();
    void this.attempt(settings, event, requestId, acceptedAt, 1, 0).finally(done);
    return requestId;
  }

  private async attempt(
    settings: AsyncInvokeSettings,
    event: unknown,
    requestId: string,
    acceptedAt: number,
    invokeCount: number,
    throttles: number,
  ): Promise<void> {
    const outcome = await this.deps.invoke(settings.functionName, event, requestId);
    const ageMs = () => this.deps.clock.now() - acceptedAt;
    const maxAgeMs = this.deps.timescale(settings.maximumEventAgeSeconds);
    if (outcome.ok) {
      if (settings.onSuccess) {
        this.deps.sendToDestination(
          settings.onSuccess,
          record(settings, event, requestId, 'Success', invokeCount, outcome.payload),
          true,
        );
      }
      return;
    }
    const retry = outcome.throttled
      ? {
          delayMs: this.deps.timescale(throttleDelaySeconds(throttles)),
          nextCount: invokeCount,
          nextThrottles: throttles + 1,
        }
      : invokeCount <= settings.maximumRetryAttempts
        ? {
            delayMs: this.deps.timescale(retryDelaySeconds[invokeCount - 1] ?? 120),
            nextCount: invokeCount + 1,
            nextThrottles: throttles,
          }
        : undefined;
    if (retry && ageMs() + retry.delayMs <= maxAgeMs) {
      if (!(await this.sleep(retry.delayMs))) return;
      return this.attempt(settings, event, requestId, acceptedAt, retry.nextCount, retry.nextThrottles);
    }
    const condition = retry ? 'EventAgeExceeded' : 'RetriesExhausted';
    this.fail(settings, event, requestId, condition, invokeCount, outcome.error);
  }

  /** Waits before a retry; false when the invoker stopped meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const cancelTimer = this.deps.clock.schedule(ms, () => {
        this.pendingRetries.delete(cancel);
        resolve(true);
      });
      const cancel = () => {
        cancelTimer();
        resolve(false);
      };
      this.pendingRetries.add(cancel);
    });
  }

  private fail(
    settings: AsyncInvokeSettings,
    event: unknown,
    requestId: string,
    condition: 'RetriesExhausted' | 'EventAgeExceeded',
    invokeCount: number,
    error: LambdaError,
  ): void {
    if (settings.onFailure) {
      this.deps.sendToDestination(
        settings.onFailure,
        record(settings, event, requestId, condition, invokeCount, error),
        false,
      );
    } else if (settings.deadLetterTargetArn) {
      this.deps.sendToDeadLetterQueue(settings.deadLetterTargetArn, event, requestId, error);
    } else {
      this.deps.log(
        `[${settings.functionName}] async event ${requestId} dropped after ${invokeCount} attempts (${condition}): no destination or DLQ`,
      );
    }
  }
}

function record(
  settings: AsyncInvokeSettings,
  event: unknown,
  requestId: string,
  condition: InvocationRecord['requestContext']['condition'],
  invokeCount: number,
  response: unknown,
): InvocationRecord {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId,
      functionArn: `${settings.functionArn}:$LATEST`,
      condition,
      approximateInvokeCount: invokeCount,
    },
    requestPayload: event,
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(condition === 'Success' ? {} : { functionError: 'Unhandled' }),
    },
    responsePayload: response,
  };
}
