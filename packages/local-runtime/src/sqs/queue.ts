import { randomUUID } from 'node:crypto';
import type { Clock, Timescale } from '../clock';
import type { QueueDefinition } from '../template/resources/queues';
import { type MessageAttributeValue, md5OfBody, md5OfMessageAttributes, messageSize } from './checksums';

/** An SQS error as the API reports it: the code becomes the JSON protocol's `__type`. */
export class QueueError extends Error {
  override name = 'QueueError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SendInput {
  body: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
  delaySeconds?: number;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

export interface SentMessage {
  messageId: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  sequenceNumber?: string;
}

export interface QueueMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  md5OfMessageAttributes?: string;
  sentTimestamp: number;
  firstReceiveTimestamp?: number;
  receiveCount: number;
  /** When the message can next be received (delay or visibility timeout). */
  visibleAt: number;
  receiptHandle?: string;
  /** The receipt whose holder set the visibility timeout itself (ChangeMessageVisibility) while it held the message. */
  visibilityChangedBy?: string;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
  deadLetterQueueSourceArn?: string;
}

export interface QueueStats {
  visible: number;
  inFlight: number;
  delayed: number;
}

const senderId = 'AIDAIT2UOQQY3AUEKVGXU';
const deduplicationWindowSeconds = 300;

/**
 * One SQS queue's semantics: delays, visibility timeouts, receive counts, redrive to a dead-letter queue after
 * maxReceiveCount, retention, and FIFO message groups and deduplication. Time comes from the injected clock.
 */
export class Queue {
  private messages: QueueMessage[] = [];
  private readonly receipts = new Map<string, QueueMessage>();
  private readonly deduplication = new Map<string, { messageId: string; sequenceNumber?: string; at: number }>();
  private readonly listeners = new Set<() => void>();
  private cancelWake: (() => void) | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;
  private sequence = 0n;

  constructor(
    readonly definition: QueueDefinition,
    private readonly clock: Clock,
    private readonly timescale: Timescale,
    /** The queue's dead-letter queue, looked up when a message exceeds maxReceiveCount. */
    private readonly deadLetterQueue: () => Queue | undefined = () => undefined,
  ) {}

  send(input: SendInput): SentMessage {
    const attributes = input.messageAttributes ?? {};
    this.validateSend(input, attributes);
    const now = this.clock.now();
    const fifo = this.definition.fifo;
    let deduplicationId = input.messageDeduplicationId;
    if (fifo && deduplicationId === undefined) deduplicationId = md5OfBody(input.body);
    if (deduplicationId !== undefined && fifo) {
      const previous = this.deduplication.get(deduplicationId);
      if (previous && now - previous.at < this.timescale(deduplicationWindowSeconds)) {
        return {
          messageId: previous.messageId,
          md5OfBody: md5OfBody(input.body),
          ...withMd5OfAttributes(attributes),
          ...(previous.sequenceNumber ? { sequenceNumber: previous.sequenceNumber } : {}),
        };
      }
    }
    const delaySeconds = fifo ? this.definition.delaySeconds : (input.delaySeconds ?? this.definition.delaySeconds);
    const message: QueueMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: md5OfBody(input.body),
      messageAttributes: attributes,
      ...withMd5OfAttributes(attributes),
      sentTimestamp: now,
      receiveCount: 0,
      visibleAt: now + this.timescale(delaySeconds),
      ...(fifo
        ? {
            messageGroupId: input.messageGroupId as string,
            messageDeduplicationId: deduplicationId as string,
            sequenceNumber: this.nextSequenceNumber(),
          }
        : {}),
    };
    if (fifo) {
      this.deduplication.set(deduplicationId as string, {
        messageId: message.messageId,
        ...(message.sequenceNumber ? { sequenceNumber: message.sequenceNumber } : {}),
        at: now,
      });
    }
    this.messages.push(message);
    this.changed();
    return {
      messageId: message.messageId,
      md5OfBody: message.md5OfBody,
      ...withMd5OfAttributes(attributes),
      ...(message.sequenceNumber ? { sequenceNumber: message.sequenceNumber } : {}),
    };
  }

  /**
   * Receives up to `maxMessages` visible messages and hides them for the visibility timeout. A message already
   * received maxReceiveCount times moves to the dead-letter queue instead, as SQS does on the next receive.
   */
  receive(maxMessages: number, visibilityTimeoutSeconds = this.definition.visibilityTimeoutSeconds): QueueMessage[] {
    return this.take(maxMessages, this.clock.now() + this.timescale(visibilityTimeoutSeconds));
  }

  /**
   * Receives messages for a Lambda event source, which keeps them until the invocation ends and then calls
   * {@link release} or {@link delete}. On AWS a function's timeout never exceeds the queue's visibility timeout, so
   * a message cannot reappear while its invocation runs; holding keeps that true when timers are scaled down.
   */
  receiveHeld(maxMessages: number): QueueMessage[] {
    return this.take(maxMessages, Number.POSITIVE_INFINITY);
  }

  /**
   * Ends a hold: the message becomes visible again when its visibility timeout (from its receipt) has passed — or when
   * the holder said with ChangeMessageVisibility (a consumer's own backoff), as on AWS. A receipt that is no longer the
   * message's latest (the message was received again meanwhile) changes nothing.
   */
  release(receiptHandle: string, receivedAt: number): void {
    const message = this.receipts.get(receiptHandle);
    if (!message || message.receiptHandle !== receiptHandle) return;
    if (message.visibilityChangedBy === receiptHandle) return;
    message.visibleAt = Math.max(
      this.clock.now(),
      receivedAt + this.timescale(this.definition.visibilityTimeoutSeconds),
    );
    this.changed();
  }

  private take(maxMessages: number, visibleAt: number): QueueMessage[] {
    const now = this.clock.now();
    this.expire(now);
    const received: QueueMessage[] = [];
    const blockedGroups = new Set<string>();
    for (const message of [...this.messages]) {
      if (received.length >= maxMessages) break;
      const group = message.messageGroupId;
      if (message.visibleAt > now) {
        if (group !== undefined) blockedGroups.add(group);
        continue;
      }
      if (group !== undefined && blockedGroups.has(group)) continue;
      if (this.exceedsMaxReceives(message) && this.moveToDeadLetterQueue(message)) continue;
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.visibleAt = visibleAt;
      message.receiptHandle = `${message.messageId}#${randomUUID()}`;
      message.visibilityChangedBy = undefined;
      this.receipts.set(message.receiptHandle, message);
      received.push({ ...message });
    }
    if (received.length > 0) this.changed();
    return received;
  }

  delete(receiptHandle: string): void {
    const message = this.receipts.get(receiptHandle);
    if (!message) {
      if (!/#/.test(receiptHandle)) {
        throw new QueueError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not valid.`);
      }
      return;
    }
    this.remove(message);
    this.changed();
  }

  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): void {
    const message = this.receipts.get(receiptHandle);
    if (!message)
      throw new QueueError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not valid.`);
    const now = this.clock.now();
    if (message.visibleAt <= now) {
      throw new QueueError('MessageNotInflight', 'The message referred to is not in flight.');
    }
    if (visibilityTimeoutSeconds < 0 || visibilityTimeoutSeconds > 43_200) {
      throw new QueueError('InvalidParameterValue', 'Value for parameter VisibilityTimeout is invalid.');
    }
    message.visibleAt = now + this.timescale(visibilityTimeoutSeconds);
    message.visibilityChangedBy = receiptHandle;
    this.changed();
  }

  purge(): void {
    this.messages = [];
    this.receipts.clear();
    this.changed();
  }

  stats(): QueueStats {
    const now = this.clock.now();
    this.expire(now);
    const stats: QueueStats = { visible: 0, inFlight: 0, delayed: 0 };
    for (const message of this.messages) {
      if (message.visibleAt <= now) stats.visible += 1;
      else if (message.receiveCount > 0) stats.inFlight += 1;
      else stats.delayed += 1;
    }
    return stats;
  }

  /** The messages currently held, oldest first (for tests and inspection). */
  peek(): QueueMessage[] {
    this.expire(this.clock.now());
    return this.messages.map((message) => ({ ...message }));
  }

  /** Takes a message another queue gives up (dead-lettering or redrive), keeping its id, body and attributes. */
  accept(message: QueueMessage, overrides: Partial<QueueMessage>): void {
    const { receiptHandle: _handle, ...kept } = message;
    this.messages.push({ ...kept, visibleAt: this.clock.now(), ...overrides });
    this.changed();
  }

  /** Moves every message to `target` with a fresh receive count: a DLQ redrive. Returns how many moved. */
  moveMessagesTo(target: Queue): number {
    const moving = this.messages;
    this.messages = [];
    this.receipts.clear();
    for (const message of moving) {
      const { deadLetterQueueSourceArn: _source, firstReceiveTimestamp: _first, ...rest } = message;
      target.accept(rest, { receiveCount: 0 });
    }
    this.changed();
    return moving.length;
  }

  /** Calls `listener` whenever messages may have become receivable. */
  onAvailable(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.cancelWake?.();
    this.listeners.clear();
  }

  private exceedsMaxReceives(message: QueueMessage): boolean {
    const policy = this.definition.redrivePolicy;
    return policy !== undefined && message.receiveCount >= policy.maxReceiveCount;
  }

  private moveToDeadLetterQueue(message: QueueMessage): boolean {
    const deadLetterQueue = this.deadLetterQueue();
    if (!deadLetterQueue) return false;
    this.remove(message);
    deadLetterQueue.accept(message, { deadLetterQueueSourceArn: this.definition.arn });
    return true;
  }

  private remove(message: QueueMessage): void {
    this.messages = this.messages.filter((candidate) => candidate !== message);
    for (const [handle, holder] of this.receipts) if (holder === message) this.receipts.delete(handle);
  }

  private expire(now: number): void {
    const retention = this.timescale(this.definition.retentionSeconds);
    if (this.messages.some((message) => now - message.sentTimestamp >= retention)) {
      for (const message of this.messages.filter((candidate) => now - candidate.sentTimestamp >= retention)) {
        this.remove(message);
      }
    }
  }

  /** Tells listeners about new work now, and arms one timer for the next message that becomes visible later. */
  private changed(): void {
    const now = this.clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const message of this.messages) if (message.visibleAt > now) next = Math.min(next, message.visibleAt);
    if (next !== this.wakeAt) {
      this.cancelWake?.();
      this.cancelWake = undefined;
      this.wakeAt = next;
      if (Number.isFinite(next)) {
        this.cancelWake = this.clock.schedule(next - now, () => {
          this.wakeAt = Number.POSITIVE_INFINITY;
          this.cancelWake = undefined;
          this.changed();
        });
      }
    }
    if (this.messages.some((message) => message.visibleAt <= now)) {
      queueMicrotask(() => {
        for (const listener of this.listeners) listener();
      });
    }
  }

  private validateSend(input: SendInput, attributes: Record<string, MessageAttributeValue>): void {
    if (input.body.length === 0) {
      throw new QueueError('MissingParameter', 'The request must contain the parameter MessageBody.');
    }
    if (!hasOnlyValidCharacters(input.body)) {
      throw new QueueError(
        'InvalidMessageContents',
        'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
      );
    }
    if (messageSize(input.body, attributes) > this.definition.maxMessageSizeBytes) {
      throw new QueueError(
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${this.definition.maxMessageSizeBytes} bytes.`,
      );
    }
    if (Object.keys(attributes).length > 10) {
      throw new QueueError(
        'InvalidParameterValue',
        'Number of message attributes [11] exceeds the allowed maximum [10].',
      );
    }
    if (input.delaySeconds !== undefined && (input.delaySeconds < 0 || input.delaySeconds > 900)) {
      throw new QueueError(
        'InvalidParameterValue',
        'Value for parameter DelaySeconds is invalid. Reason: must be 0..900.',
      );
    }
    if (this.definition.fifo) {
      if (!input.messageGroupId) {
        throw new QueueError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
      }
      if (!input.messageDeduplicationId && !this.definition.contentBasedDeduplication) {
        throw new QueueError(
          'InvalidParameterValue',
          'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        );
      }
    } else if (input.messageGroupId !== undefined && input.messageDeduplicationId !== undefined) {
      throw new QueueError(
        'InvalidParameterValue',
        'The request include parameter MessageDeduplicationId which is not valid for this queue type',
      );
    }
  }

  private nextSequenceNumber(): string {
    this.sequence += 1n;
    return (18_000_000_000_000_000_000n + this.sequence).toString();
  }
}

function withMd5OfAttributes(attributes: Record<string, MessageAttributeValue>): { md5OfMessageAttributes?: string } {
  const md5 = md5OfMessageAttributes(attributes);
  return md5 ? { md5OfMessageAttributes: md5 } : {};
}

/** The message's system attributes, as ReceiveMessage and Lambda's SQS records name them. */
export function systemAttributes(message: QueueMessage): Record<string, string> {
  return {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentTimestamp),
    SenderId: senderId,
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
    ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
    ...(message.messageGroupId ? { MessageGroupId: message.messageGroupId } : {}),
    ...(message.messageDeduplicationId ? { MessageDeduplicationId: message.messageDeduplicationId } : {}),
    ...(message.deadLetterQueueSourceArn ? { DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn } : {}),
  };
}

/** SQS accepts #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF in a body. */
function hasOnlyValidCharacters(body: string): boolean {
  for (const char of body) {
    const code = char.codePointAt(0) as number;
    const valid =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    if (!valid) return false;
  }
  return true;
}
