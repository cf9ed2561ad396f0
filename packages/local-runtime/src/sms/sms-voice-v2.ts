import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-api/aws-error';
import type { Clock } from '../clock';
import type { QueueRegistry } from '../sqs/queue-registry';
import type { TopicDefinition } from '../template/resources/topics';

type Json = Record<string, unknown>;

/** A text SendTextMessage accepted, as `runtime.sms.outbox()` shows it. */
export interface SentSms {
  messageId: string;
  /** ISO time the runtime accepted it. */
  sentAt: string;
  to: string;
  originationIdentity?: string;
  body: string;
  messageType?: string;
  configurationSetName?: string;
  context: Record<string, string>;
  /** The request as the client sent it. */
  request: Json;
}

/** A text a customer sends to our number, for `runtime.sms.receive`. */
export interface InboundText {
  from: string;
  body: string;
  /** Our number; default +10000000000. */
  to?: string;
}

/**
 * AWS End User Messaging SMS (pinpoint-sms-voice-v2, JSON 1.0 at `/__aws/sms-voice`): SendTextMessage is validated
 * and recorded in an inspectable outbox instead of reaching a carrier; `failNext(n)` throttles the next n sends.
 * `receive` plays a customer's reply: the two-way SMS payload AWS would publish goes to every two-way channel topic
 * of the stack (granted to `sms-voice.amazonaws.com`) and from there to its SQS subscriptions.
 */
export class SmsVoiceV2 {
  private readonly sent: SentSms[] = [];
  private throttled = 0;

  constructor(
    private readonly topics: readonly TopicDefinition[],
    private readonly queues: QueueRegistry,
    private readonly clock: Clock,
  ) {}

  outbox(): SentSms[] {
    return [...this.sent];
  }

  failNext(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new Error(`failNext needs a whole number, got ${count}`);
    this.throttled = count;
  }

  handle(operation: string, input: Json): unknown {
    if (operation === 'SendTextMessage') return this.sendTextMessage(input);
    throw new AwsError('UnknownOperationException', `The local runtime does not implement SMS Voice V2 ${operation}`);
  }

  /**
   * The same for `npm start` users, under the service's path: `GET …/outbox` lists the texts sent, `POST …/replies`
   * with `{"from":"+79991234567","body":"STOP"}` plays a reply.
   */
  handleLocal(method: string, path: string, input: Json): unknown {
    if (method === 'GET' && path === '/outbox') return { messages: this.outbox() };
    if (method === 'POST' && path === '/replies') {
      if (typeof input.from !== 'string' || typeof input.body !== 'string') {
        throw new AwsError('ValidationException', 'Give "from" (E.164) and "body".', 400);
      }
      return { inboundMessageId: this.receive({ from: input.from, body: input.body }) };
    }
    throw new AwsError('UnknownOperationException', `No local SMS endpoint ${method} ${path}`, 404);
  }

  /** Returns the inbound message id; throws when the stack has no two-way channel topic. */
  receive(text: InboundText): string {
    const channels = this.topics.filter((topic) => topic.smsTwoWayChannel);
    if (channels.length === 0) throw new Error('The stack has no two-way SMS topic (one granted to sms-voice)');
    const inboundMessageId = randomUUID();
    const message = JSON.stringify({
      originationNumber: text.from,
      destinationNumber: text.to ?? '+10000000000',
      messageKeyword: 'KEYWORD_000000000000',
      messageBody: text.body,
      inboundMessageId,
    });
    for (const topic of channels) {
      for (const subscription of topic.subscriptions) {
        const body = subscription.raw
          ? message
          : JSON.stringify({
              Type: 'Notification',
              MessageId: randomUUID(),
              TopicArn: topic.arn,
              Message: message,
              Timestamp: new Date(this.clock.now()).toISOString(),
            });
        this.queues.get(subscription.queueArn).send({ body });
      }
    }
    return inboundMessageId;
  }

  private sendTextMessage(input: Json): { MessageId: string } {
    const to = input.DestinationPhoneNumber;
    const body = input.MessageBody;
    if (typeof to !== 'string' || !/^\+[1-9]\d{1,14}$/.test(to)) {
      throw new AwsError('ValidationException', 'DestinationPhoneNumber must be in E.164.', 400);
    }
    if (typeof body !== 'string' || body.length === 0 || body.length > 1600) {
      throw new AwsError('ValidationException', 'MessageBody must be 1 to 1600 characters.', 400);
    }
    if (this.throttled > 0) {
      this.throttled -= 1;
      throw new AwsError('ThrottlingException', 'Rate exceeded.', 400);
    }
    const messageId = randomUUID();
    this.sent.push({
      messageId,
      sentAt: new Date(this.clock.now()).toISOString(),
      to,
      ...(typeof input.OriginationIdentity === 'string' ? { originationIdentity: input.OriginationIdentity } : {}),
      body,
      ...(typeof input.MessageType === 'string' ? { messageType: input.MessageType } : {}),
      ...(typeof input.ConfigurationSetName === 'string' ? { configurationSetName: input.ConfigurationSetName } : {}),
      context: (input.Context as Record<string, string> | undefined) ?? {},
      request: input,
    });
    return { MessageId: messageId };
  }
}
