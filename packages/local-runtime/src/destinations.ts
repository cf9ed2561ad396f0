import { randomUUID } from 'node:crypto';
import { eventTime } from './events/event';
import type { Delivery, EventBridge } from './events/event-bridge';
import type { AsyncInvokeSettings, InvocationRecord } from './lambda/async-invoker';
import type { LambdaError } from './lambda/worker/protocol';
import type { MessageAttributeValue } from './sqs/checksums';
import type { QueueRegistry } from './sqs/queue-registry';
import { busNameOf } from './template/physical-ids';
import { functionNameOf } from './template/resources/functions';
import type { ScheduleTargetDefinition } from './template/resources/schedules';

export interface DestinationDependencies {
  queues: QueueRegistry;
  eventBridge: () => EventBridge;
  invokeAsync: (functionName: string, event: unknown) => void;
  hasFunction: (functionName: string) => boolean;
  account: string;
  region: string;
  log: (line: string) => void;
}

type ArnKind = 'sqs' | 'lambda' | 'events';

function kindOf(arn: string): ArnKind | undefined {
  const service = arn.split(':')[2];
  return service === 'sqs' || service === 'lambda' || service === 'events' ? service : undefined;
}

/**
 * Where events, invocation records and failed events go, by the ARN the template names: a queue, a function
 * (invoked asynchronously) or an event bus.
 */
export class Destinations {
  constructor(private readonly deps: DestinationDependencies) {}

  /** Delivers a rule's event to one of its targets; throws when the target cannot take it. */
  deliverToTarget({ target, event, input }: Delivery): void {
    switch (kindOf(target.arn)) {
      case 'sqs':
        this.queue(target.arn).send({
          body: input,
          ...(target.messageGroupId ? { messageGroupId: target.messageGroupId } : {}),
        });
        return;
      case 'lambda':
        this.deps.invokeAsync(functionNameOf(target.arn), parseJsonOr(input));
        return;
      case 'events':
        this.deps.eventBridge().publish(busNameOf(target.arn), event);
        return;
      default:
        throw new Error(`the local runtime cannot deliver to ${target.arn}`);
    }
  }

  /** Delivers a Scheduler schedule's input to its target; throws when the target cannot take it. */
  deliverToScheduleTarget(target: ScheduleTargetDefinition, input: string): void {
    switch (kindOf(target.arn)) {
      case 'sqs':
        this.queue(target.arn).send({
          body: input,
          ...(target.messageGroupId ? { messageGroupId: target.messageGroupId } : {}),
        });
        return;
      case 'lambda': {
        const name = functionNameOf(target.arn);
        if (!this.deps.hasFunction(name)) throw new Error(`Function not found: ${target.arn}`);
        this.deps.invokeAsync(name, parseJsonOr(input));
        return;
      }
      default:
        throw new Error(`the local runtime cannot deliver to ${target.arn}`);
    }
  }

  /** A schedule's failed delivery: its input goes to the schedule's dead-letter queue with Scheduler's attributes. */
  sendToScheduleDeadLetterQueue(queueArn: string, body: string, attributes: Record<string, string>): void {
    this.queue(queueArn).send({
      body,
      messageAttributes: Object.fromEntries(
        Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
      ),
    });
  }

  /** A rule could not deliver: the event goes to the target's dead-letter queue, with EventBridge's attributes. */
  targetDeliveryFailed({ target, rule, event }: Delivery, error: Error): void {
    if (!target.deadLetterArn) {
      this.deps.log(
        `[runtime] rule ${rule.name} could not deliver event ${event.id} to ${target.arn}: ${error.message}`,
      );
      return;
    }
    const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
    this.queue(target.deadLetterArn).send({
      body: JSON.stringify(event),
      messageAttributes: {
        RULE_ARN: text(rule.arn),
        TARGET_ARN: text(target.arn),
        ERROR_CODE: text('SQSError'),
        ERROR_MESSAGE: text(error.message.slice(0, 1024)),
      },
    });
  }

  /** Sends an asynchronous invocation's record to its OnSuccess/OnFailure destination. */
  sendInvocationRecord(
    settings: AsyncInvokeSettings,
    destinationArn: string,
    record: InvocationRecord,
    success: boolean,
  ): void {
    switch (kindOf(destinationArn)) {
      case 'sqs':
        this.queue(destinationArn).send({ body: JSON.stringify(record) });
        return;
      case 'lambda':
        this.deps.invokeAsync(functionNameOf(destinationArn), record);
        return;
      case 'events':
        this.deps.eventBridge().publish(busNameOf(destinationArn), {
          version: '0',
          id: randomUUID(),
          'detail-type': `Lambda Function Invocation Result - ${success ? 'Success' : 'Failure'}`,
          source: 'lambda',
          account: this.deps.account,
          time: eventTime(new Date()),
          region: this.deps.region,
          resources: [settings.functionArn, destinationArn],
          detail: record,
        });
        return;
      default:
        this.deps.log(`[runtime] cannot send ${settings.functionName}'s invocation record to ${destinationArn}`);
    }
  }

  /** Sends a failed asynchronous event to the function's dead-letter queue, with Lambda's message attributes. */
  sendToDeadLetterQueue(queueArn: string, event: unknown, requestId: string, error: LambdaError): void {
    this.queue(queueArn).send({
      body: JSON.stringify(event),
      messageAttributes: {
        RequestID: { DataType: 'String', StringValue: requestId },
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: { DataType: 'String', StringValue: error.errorMessage.slice(0, 1024) },
      },
    });
  }

  private queue(arn: string) {
    const queue = this.deps.queues.byArn(arn);
    if (!queue) throw new Error(`queue ${arn} does not exist`);
    return queue;
  }
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
