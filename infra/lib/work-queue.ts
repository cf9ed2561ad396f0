import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { defaultFunctionTimeout } from './function';

const encrypted = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;

/**
 * A queue where failures wait for an operator (14 days), with the alarm that tells them: the one way cxloop parks what
 * it could not process, whether a {@link WorkQueue} moves it there or a Lambda on-failure destination does.
 */
export function parkingQueue(
  scope: Construct,
  ids: { readonly queue: string; readonly alarm: string },
  alarmDescription: string,
): Queue {
  const queue = new Queue(scope, ids.queue, { retentionPeriod: Duration.days(14), ...encrypted });
  new Alarm(scope, ids.alarm, {
    alarmDescription,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  return queue;
}

export interface WorkQueueProps {
  /** Timeout of the function that consumes the queue (default CxFunction's): the visibility timeout is six times it. */
  readonly consumerTimeout?: Duration;
  /** Deliveries of one message before it is parked in the dead-letter queue (default 5). */
  readonly maxReceiveCount?: number;
  /** What a parked message means, for the alarm; "fix the cause, then npm run redrive -- <name>" follows it. */
  readonly failure: string;
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
 * Queue + dead-letter queue + its alarm, encrypted and SSL-only: every queue a cxloop function consumes. The children
 * are created in `scope` as `<name>Queue`, `<name>DeadLetterQueue` and `<name>DeadLetterAlarm` (`Queue`,
 * `DeadLetterQueue`, `DeadLetterAlarm` for the empty name), so construct paths and logical ids do not change when a
 * construct adopts it. `npm run redrive -- <redriveName>` (`infra/scripts/redrive.ts`) moves parked messages back: it
 * picks dead-letter queues by "DeadLetterQueue" and that name in their generated names.
 */
export class WorkQueue {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** The logical id prefix of the dead-letter queue (`FollowUpOutbound`), the filter of `npm run redrive`. */
  readonly redriveName: string;

  constructor(scope: Construct, name: string, props: WorkQueueProps) {
    const stack = Stack.of(scope);
    const inStack = scope.node.scopes.slice(scope.node.scopes.indexOf(stack) + 1);
    this.redriveName = [...inStack.map((construct) => construct.node.id), name].join('');
    this.deadLetterQueue = parkingQueue(
      scope,
      { queue: `${name}DeadLetterQueue`, alarm: `${name}DeadLetterAlarm` },
      `${props.failure}: inspect the dead-letter queue, fix the cause, then npm run redrive -- ${this.redriveName}`,
    );
    const consumerTimeout = props.consumerTimeout ?? defaultFunctionTimeout;
    this.queue = new Queue(scope, props.queueId ?? `${name}Queue`, {
      visibilityTimeout: Duration.seconds(Math.max(30, consumerTimeout.toSeconds() * 6)),
      retentionPeriod: Duration.days(4),
      ...encrypted,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
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
