import { type EventContract, eventPattern } from '@cxloop/events';
import { Duration } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WorkQueue } from './work-queue';

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
 * deliveries, parked in the DLQ ({@link WorkQueue}). Events EventBridge itself could not deliver land in the same DLQ,
 * so one redrive (`npm run redrive`) moves everything back to the queue.
 */
export class EventConsumer extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: EventConsumerProps) {
    super(scope, id);
    const [first, ...others] = props.contracts;
    if (!first) throw new Error(`${id}: an event consumer needs at least one contract`);
    const work = new WorkQueue(this, '', {
      consumerTimeout: props.handler.timeout ?? Duration.seconds(3),
      maxReceiveCount: props.maxReceiveCount ?? 5,
      failure: `Events are waiting in the ${id} dead-letter queue`,
    });
    this.queue = work.queue;
    this.deadLetterQueue = work.deadLetterQueue;
    this.rule = new Rule(this, 'Rule', {
      eventBus: props.bus,
      description: `${props.contracts.map((contract) => contract.detailType).join(', ')} → ${id}`,
      eventPattern: others.length === 0 ? eventPattern(first) : ({ $or: props.contracts.map(eventPattern) } as never),
      targets: [work.ruleTarget()],
    });
    work.consumeWith(props.handler, {
      batchSize: props.batchSize ?? 10,
      maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(1),
      maxConcurrency: props.maxConcurrency ?? 5,
    });
  }
}
