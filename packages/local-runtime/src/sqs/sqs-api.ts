import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-api/aws-error';
import type { Clock, Timescale } from '../clock';
import { type MessageAttributeValue, md5OfMessageAttributes } from './checksums';
import { type Queue, QueueError, type QueueMessage, systemAttributes } from './queue';
import type { QueueRegistry } from './queue-registry';

type Input = Record<string, unknown>;

const queryErrorCodes: Record<string, string> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
  TooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  MessageNotInflight: 'AWS.SimpleQueueService.MessageNotInflight',
};

function sqsError(code: string, message: string): AwsError {
  return new AwsError(code, message, 400, queryErrorCodes[code] ?? code);
}

/** The SQS JSON protocol (`X-Amz-Target: AmazonSQS.<Operation>`) over the local queues. */
export class SqsApi {
  private readonly pendingPolls = new Set<() => void>();

  constructor(
    private readonly queues: QueueRegistry,
    private readonly clock: Clock,
    private readonly timescale: Timescale,
  ) {}

  async handle(operation: string, input: Input): Promise<unknown> {
    try {
      return await this.dispatch(operation, input);
    } catch (error) {
      if (error instanceof QueueError) throw sqsError(error.code, error.message);
      throw error;
    }
  }

  /** Ends every long poll in progress (on shutdown). */
  dispose(): void {
    for (const end of this.pendingPolls) end();
  }

  private async dispatch(operation: string, input: Input): Promise<unknown> {
    switch (operation) {
      case 'SendMessage': {
        const sent = this.queue(input).send(sendInput(input));
        return {
          MessageId: sent.messageId,
          MD5OfMessageBody: sent.md5OfBody,
          ...(sent.md5OfMessageAttributes ? { MD5OfMessageAttributes: sent.md5OfMessageAttributes } : {}),
          ...(sent.sequenceNumber ? { SequenceNumber: sent.sequenceNumber } : {}),
        };
      }
      case 'SendMessageBatch': {
        const queue = this.queue(input);
        return batch(input, (entry) => {
          const sent = queue.send(sendInput(entry));
          return {
            MessageId: sent.messageId,
            MD5OfMessageBody: sent.md5OfBody,
            ...(sent.md5OfMessageAttributes ? { MD5OfMessageAttributes: sent.md5OfMessageAttributes } : {}),
            ...(sent.sequenceNumber ? { SequenceNumber: sent.sequenceNumber } : {}),
          };
        });
      }
      case 'ReceiveMessage':
        return this.receive(this.queue(input), input);
      case 'DeleteMessage':
        this.queue(input).delete(String(input.ReceiptHandle ?? ''));
        return {};
      case 'DeleteMessageBatch': {
        const queue = this.queue(input);
        return batch(input, (entry) => {
          queue.delete(String(entry.ReceiptHandle ?? ''));
          return {};
        });
      }
      case 'ChangeMessageVisibility':
        this.queue(input).changeVisibility(String(input.ReceiptHandle ?? ''), Number(input.VisibilityTimeout));
        return {};
      case 'ChangeMessageVisibilityBatch': {
        const queue = this.queue(input);
        return batch(input, (entry) => {
          queue.changeVisibility(String(entry.ReceiptHandle ?? ''), Number(entry.VisibilityTimeout));
          return {};
        });
      }
      case 'GetQueueUrl': {
        const queue = this.queues.byName(String(input.QueueName ?? ''));
        if (!queue) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
        return { QueueUrl: queue.definition.url };
      }
      case 'ListQueues': {
        const prefix = String(input.QueueNamePrefix ?? '');
        return {
          QueueUrls: this.queues
            .all()
            .filter((queue) => queue.definition.name.startsWith(prefix))
            .map((queue) => queue.definition.url),
        };
      }
      case 'ListDeadLetterSourceQueues':
        return { queueUrls: this.queues.sourcesOf(this.queue(input)).map((queue) => queue.definition.url) };
      case 'GetQueueAttributes':
        return { Attributes: this.attributes(this.queue(input), input.AttributeNames as string[] | undefined) };
      case 'PurgeQueue':
        this.queue(input).purge();
        return {};
      case 'StartMessageMoveTask': {
        const source = this.queues.byArn(String(input.SourceArn ?? ''));
        if (!source)
          throw sqsError(
            'ResourceNotFoundException',
            "The resource that you specified for the SourceArn parameter doesn't exist.",
          );
        const destinationArn = input.DestinationArn === undefined ? undefined : String(input.DestinationArn);
        const destination = destinationArn === undefined ? undefined : this.queues.byArn(destinationArn);
        if (destinationArn !== undefined && !destination) {
          throw sqsError(
            'ResourceNotFoundException',
            "The resource that you specified for the DestinationArn parameter doesn't exist.",
          );
        }
        if (!destination && this.queues.sourcesOf(source).length === 0) {
          throw sqsError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
        }
        this.queues.redrive(source, destination);
        return {
          TaskHandle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: source.definition.arn })).toString(
            'base64',
          ),
        };
      }
      default:
        throw new AwsError('UnknownOperationException', `The local runtime does not implement SQS ${operation}`);
    }
  }

  private queue(input: Input): Queue {
    const url = input.QueueUrl;
    if (typeof url !== 'string' || url === '') {
      throw sqsError('MissingParameter', 'The request must contain the parameter QueueUrl.');
    }
    const queue = this.queues.byUrl(url);
    if (!queue) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }

  private async receive(queue: Queue, input: Input): Promise<unknown> {
    const max = input.MaxNumberOfMessages === undefined ? 1 : Number(input.MaxNumberOfMessages);
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw sqsError(
        'InvalidParameterValue',
        'Value for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10.',
      );
    }
    const visibility = input.VisibilityTimeout === undefined ? undefined : Number(input.VisibilityTimeout);
    const waitSeconds = Number(input.WaitTimeSeconds ?? queue.definition.receiveWaitTimeSeconds);
    if (waitSeconds < 0 || waitSeconds > 20) {
      throw sqsError(
        'InvalidParameterValue',
        'Value for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20.',
      );
    }
    const take = () => queue.receive(max, visibility);
    let messages = take();
    if (messages.length === 0 && waitSeconds > 0) messages = await this.longPoll(queue, take, waitSeconds);
    const systemNames = [
      ...((input.AttributeNames as string[] | undefined) ?? []),
      ...((input.MessageSystemAttributeNames as string[] | undefined) ?? []),
    ];
    const attributeNames = (input.MessageAttributeNames as string[] | undefined) ?? [];
    return { Messages: messages.map((message) => responseMessage(message, systemNames, attributeNames)) };
  }

  private longPoll(queue: Queue, take: () => QueueMessage[], waitSeconds: number): Promise<QueueMessage[]> {
    return new Promise((resolve) => {
      const finish = (messages: QueueMessage[]) => {
        stopListening();
        cancelTimer();
        this.pendingPolls.delete(end);
        resolve(messages);
      };
      const end = () => finish([]);
      const stopListening = queue.onAvailable(() => {
        const messages = take();
        if (messages.length > 0) finish(messages);
      });
      const cancelTimer = this.clock.schedule(this.timescale(waitSeconds), end);
      this.pendingPolls.add(end);
    });
  }

  private attributes(queue: Queue, requested: string[] = ['All']): Record<string, string> {
    const stats = queue.stats();
    const definition = queue.definition;
    const all: Record<string, string> = {
      QueueArn: definition.arn,
      ApproximateNumberOfMessages: String(stats.visible),
      ApproximateNumberOfMessagesNotVisible: String(stats.inFlight),
      ApproximateNumberOfMessagesDelayed: String(stats.delayed),
      VisibilityTimeout: String(definition.visibilityTimeoutSeconds),
      DelaySeconds: String(definition.delaySeconds),
      MessageRetentionPeriod: String(definition.retentionSeconds),
      MaximumMessageSize: String(definition.maxMessageSizeBytes),
      ReceiveMessageWaitTimeSeconds: String(definition.receiveWaitTimeSeconds),
      ...(definition.redrivePolicy ? { RedrivePolicy: JSON.stringify(definition.redrivePolicy) } : {}),
      ...(definition.fifo
        ? { FifoQueue: 'true', ContentBasedDeduplication: String(definition.contentBasedDeduplication) }
        : {}),
    };
    if (requested.includes('All')) return all;
    return Object.fromEntries(Object.entries(all).filter(([name]) => requested.includes(name)));
  }
}

function sendInput(input: Input) {
  return {
    body: typeof input.MessageBody === 'string' ? input.MessageBody : '',
    ...(input.MessageAttributes
      ? { messageAttributes: input.MessageAttributes as Record<string, MessageAttributeValue> }
      : {}),
    ...(input.DelaySeconds !== undefined ? { delaySeconds: Number(input.DelaySeconds) } : {}),
    ...(typeof input.MessageGroupId === 'string' ? { messageGroupId: input.MessageGroupId } : {}),
    ...(typeof input.MessageDeduplicationId === 'string'
      ? { messageDeduplicationId: input.MessageDeduplicationId }
      : {}),
  };
}

/** Runs one operation per batch entry and reports each entry's outcome, as SQS batch APIs do. */
function batch(input: Input, run: (entry: Input) => Record<string, unknown>) {
  const entries = (input.Entries as Input[] | undefined) ?? [];
  if (entries.length === 0)
    throw sqsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
  if (entries.length > 10) {
    throw sqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
    );
  }
  const ids = entries.map((entry) => String(entry.Id ?? ''));
  if (new Set(ids).size !== ids.length)
    throw sqsError('BatchEntryIdsNotDistinct', 'Id in batch entries must be distinct.');
  const Successful: unknown[] = [];
  const Failed: unknown[] = [];
  for (const entry of entries) {
    try {
      Successful.push({ Id: entry.Id, ...run(entry) });
    } catch (error) {
      if (!(error instanceof QueueError)) throw error;
      Failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message });
    }
  }
  return { Successful, Failed };
}

function responseMessage(message: QueueMessage, systemNames: string[], attributeNames: string[]) {
  const system = systemAttributes(message);
  const wantedSystem = systemNames.includes('All')
    ? system
    : Object.fromEntries(Object.entries(system).filter(([name]) => systemNames.includes(name)));
  const wantedAttributes = Object.fromEntries(
    Object.entries(message.messageAttributes).filter(([name]) =>
      attributeNames.some(
        (pattern) =>
          pattern === 'All' ||
          pattern === '.*' ||
          pattern === name ||
          (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))),
      ),
    ),
  );
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(wantedSystem).length > 0 ? { Attributes: wantedSystem } : {}),
    ...(Object.keys(wantedAttributes).length > 0
      ? { MessageAttributes: wantedAttributes, MD5OfMessageAttributes: md5OfMessageAttributes(wantedAttributes) }
      : {}),
  };
}
