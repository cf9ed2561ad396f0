import { type EventContract, eventPattern } from '@cxloop/events';
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface EventConsumerProps {
  readonly bus: IEventBus;
  /** The events this consumer receives: its rule is built from these contracts, never from hand-typed names. */
  readonly contracts: readonly EventContract[];
  readonly handler: LambdaFunction;
  /** Records per invocation (default 10). */
  readonly batchSize?: number;
  /** How long to gather a batch (default 1 s). */
  readonly maxBatchingWindow?: Duration;
  /** Upper bound of concurrent invocations, to protect downstream write capacity (default 5). */
  readonly maxConcurrency?: number;
  /** Deliveries of one message before it goes to the DLQ (default 5). */
  readonly maxReceiveCount?: number;
}

/**
 * Rule → SQS queue → Lambda, the one way a cxloop service consumes events. The queue buffers bursts and batches
 * records; a record the handler fails is retried alone (partial batch failures) and, after `maxReceiveCount`
 * deliveries, parked in the DLQ. Events EventBridge itself could not deliver land in the same DLQ, so one redrive
 * (`npm run redrive`) moves everything back to the queue.
 */
export class EventConsumer extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: EventConsumerProps) {
    super(scope, id);
    const handlerTimeout = props.handler.timeout ?? Duration.seconds(3);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(Math.max(30, handlerTimeout.toSeconds() * 6)),
      retentionPeriod: Duration.days(4),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    const [first, ...others] = props.contracts;
    if (!first) throw new Error(`${id}: an event consumer needs at least one contract`);
    this.rule = new Rule(this, 'Rule', {
      eventBus: props.bus,
      description: `${props.contracts.map((contract) => contract.detailType).join(', ')} → ${id}`,
      eventPattern: others.length === 0 ? eventPattern(first) : ({ $or: props.contracts.map(eventPattern) } as never),
      targets: [
        new SqsQueue(this.queue, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    props.handler.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? 10,
        maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(1),
        maxConcurrency: props.maxConcurrency ?? 5,
        reportBatchItemFailures: true,
      }),
    );

    new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: `Messages are waiting in the ${id} dead-letter queue: inspect, fix, then redrive`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
