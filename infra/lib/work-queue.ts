import { Duration, Stack } from 'aws-cdk-lib';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { defaultFunctionTimeout } from './function';

const encrypted = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;

/** How old a work queue's oldest message may grow before the pipeline counts as lagging, unless its queue says. */
export const DEFAULT_MAX_MESSAGE_AGE = Duration.minutes(15);

/**
 * A queue where failures wait for an operator (14 days): the one way cxloop parks what it could not process, whether
 * a {@link WorkQueue} moves it there or a Lambda on-failure destination does. The operations stack (`operations.ts`)
 * alarms as soon as one arrives, with {@link whatToDo} as the alarm's description.
 */
export class ParkingQueue extends Queue {
  /** What a parked message means and what the operator does about it. */
  readonly whatToDo: string;

  constructor(scope: Construct, id: string, whatToDo: string) {
    super(scope, id, { retentionPeriod: Duration.days(14), ...encrypted });
    this.whatToDo = whatToDo;
  }
}

/** A queue a cxloop function consumes; the operations stack alarms when its oldest message is older than `maxMessageAge`. */
export class ConsumedQueue extends Queue {
  readonly maxMessageAge: Duration;

  constructor(scope: Construct, id: string, props: QueueProps & { readonly maxMessageAge: Duration }) {
    const { maxMessageAge, ...queueProps } = props;
    super(scope, id, queueProps);
    this.maxMessageAge = maxMessageAge;
  }
}

export interface WorkQueueProps {
  /** Timeout of the function that consumes the queue (default CxFunction's): the visibility timeout is six times it. */
  readonly consumerTimeout?: Duration;
  /** Deliveries of one message before it is parked in the dead-letter queue (default 5). */
  readonly maxReceiveCount?: number;
  /** What a parked message means, for the alarm; "fix the cause, then npm run redrive -- <name>" follows it. */
  readonly failure: string;
  /**
   * How old the oldest message may grow before the pipeline counts as lagging (an alarm; default
   * {@link DEFAULT_MAX_MESSAGE_AGE}): longer where waiting is by design (backoff, long jobs).
   */
  readonly maxMessageAge?: Duration;
  /** The queue's id when it is not `<name>Queue` (a deployed queue keeps its logical id, and with it its messages). */
  readonly queueId?: string;
}

export interface ConsumeOptions {
  readonly batchSize: number;
  /** Upper bound of concurrent invocations, to protect what the consumer writes to. */
  readonly maxConcurrency: number;
  readonly maxBatchingWindow?: Duration;
}

/**
 * Queue + dead-letter queue, encrypted and SSL-only: every queue a cxloop function consumes (the operations stack
 * alarms on both). The children are created in `scope` as `<name>Queue` and `<name>DeadLetterQueue` (`Queue` and
 * `DeadLetterQueue` for the empty name), so construct paths and logical ids do not change when a construct adopts it. `npm run redrive -- <redriveName>` (`infra/scripts/redrive.ts`) moves parked messages back: it
 * picks dead-letter queues by "DeadLetterQueue" and that name in their generated names.
 */
export class WorkQueue {
  readonly queue: ConsumedQueue;
  readonly deadLetterQueue: ParkingQueue;
  /** The logical id prefix of the dead-letter queue (`FollowUpOutbound`), the filter of `npm run redrive`. */
  readonly redriveName: string;

  constructor(scope: Construct, name: string, props: WorkQueueProps) {
    const stack = Stack.of(scope);
    const inStack = scope.node.scopes.slice(scope.node.scopes.indexOf(stack) + 1);
    this.redriveName = [...inStack.map((construct) => construct.node.id), name].join('');
    this.deadLetterQueue = new ParkingQueue(
      scope,
      `${name}DeadLetterQueue`,
      `${props.failure}: inspect the dead-letter queue, fix the cause, then npm run redrive -- ${this.redriveName}`,
    );
    const consumerTimeout = props.consumerTimeout ?? defaultFunctionTimeout;
    this.queue = new ConsumedQueue(scope, props.queueId ?? `${name}Queue`, {
      visibilityTimeout: Duration.seconds(Math.max(30, consumerTimeout.toSeconds() * 6)),
      retentionPeriod: Duration.days(4),
      ...encrypted,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
      maxMessageAge: props.maxMessageAge ?? DEFAULT_MAX_MESSAGE_AGE,
    });
  }

  /** Lambda polls the queue for `handler`, which reports partial batch failures (a failed record is retried alone). */
  consumeWith(handler: LambdaFunction, options: ConsumeOptions): void {
    handler.addEventSource(new SqsEventSource(this.queue, { ...options, reportBatchItemFailures: true }));
  }

  /**
   * An EventBridge rule target delivering to the queue; events EventBridge could not deliver land in the same
   * dead-letter queue, so one redrive moves everything back.
   */
  ruleTarget(): SqsQueue {
    return new SqsQueue(this.queue, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 185,
      maxEventAge: Duration.hours(24),
    });
  }
}
