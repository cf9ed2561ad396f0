import { messagesApiEnvironment, senderEnvironment } from '@cxloop/followup/environment';
import { outboundAdminRoutes } from '@cxloop/followup/routes/outbound';
import { Duration, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { CxFunction } from '../../function';
import type { CxHttpApi } from '../../http-api';
import type { ServiceTable } from '../../service-table';
import { WorkQueue } from '../../work-queue';

export interface OutboundDeliveryProps {
  readonly bus: IEventBus;
  /** The follow-up table: message log (`MSG#`, `MSGS#`), rate-limit windows (`RATE#`), suppressions (read). */
  readonly table: ServiceTable;
  /** Signs the one-click unsubscribe links the sender puts in every e-mail. */
  readonly unsubscribeKey: ISecret;
  /** The HTTP API's endpoint: unsubscribe links point at its public endpoint. */
  readonly publicApiUrl: string;
  /** Deliveries of one job before it is parked in the dead-letter queue (default 8). */
  readonly maxAttempts?: number;
  /** The End User Messaging SMS phone number, sender id or pool ARN texts go from; no SMS without it. */
  readonly smsOriginationIdentity?: string;
}

/**
 * The outbound queue every follow-up message goes through, and the sender that delivers each job once.
 *
 * 1. Producers put `OutboundJob`s on {@link queue} (`grantEnqueue`). The `Sender` takes batches of 10 (partial batch
 *    failures, at most 5 concurrent invocations), claims each job in the `MSG#<jobId>` item, checks suppressions and
 *    the per-target rate limit, delivers to Slack, SES, a signed webhook, Zendesk or SMS (End User Messaging
 *    SendTextMessage, on the origination identity only), records the outcome and publishes MessageSent.
 * 2. A transient failure (network, timeout, 429, 5xx) makes the record fail with an exponential backoff
 *    (ChangeMessageVisibility); a rate-limited job is re-enqueued with DelaySeconds instead, so waiting for a slot
 *    does not use up its receives.
 * 3. After `maxAttempts` receives the job is parked in {@link deadLetterQueue} and its record says `failed`
 *    (`retryable`); an alarm fires. Fix the cause, then `npm run redrive -- Outbound`: `infra/scripts/redrive.ts`
 *    finds this DLQ because its name contains `DeadLetterQueue` (the construct id) and `Outbound`, and moves it back
 *    to {@link queue}, its only source queue (ListDeadLetterSourceQueues).
 *
 * Channel settings (Slack webhooks, webhook endpoints and secrets, Zendesk, SES sender, rate limits) live in the
 * {@link channelSettings} secret, edited through `PUT /v1/followup-channels`. SES sends through
 * {@link configurationSet}, which publishes bounces, complaints, deliveries and rejects to the default EventBridge bus
 * (SES can only publish there) as `aws.ses` events.
 */
export class OutboundDelivery extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly sender: CxFunction;
  readonly messagesApi: CxFunction;
  readonly channelSettings: Secret;
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, props: OutboundDeliveryProps) {
    super(scope, id);
    const maxAttempts = props.maxAttempts ?? 8;
    const senderTimeout = Duration.seconds(30);

    const work = new WorkQueue(this, '', {
      // Only matters after a crash, since every handled failure sets its own backoff.
      consumerTimeout: senderTimeout,
      maxReceiveCount: maxAttempts,
      // A message may wait out its backoff (up to 15 minutes a time) through every attempt.
      maxMessageAge: Duration.hours(1),
      failure:
        'Outbound messages are waiting in the dead-letter queue (their lastError: GET /v1/messages?status=failed)',
    });
    this.queue = work.queue;
    this.deadLetterQueue = work.deadLetterQueue;

    // Not a secret yet: an empty document ("nothing configured") that PUT /v1/followup-channels replaces.
    this.channelSettings = new Secret(this, 'ChannelSettings', {
      description: 'cxloop follow-up: channel settings (Slack webhooks, webhook secrets, Zendesk token, SES sender)',
      secretStringValue: SecretValue.unsafePlainText('{}'),
    });
    Validations.of(this.channelSettings).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Holds third-party credentials (Slack webhook URLs, Zendesk token) that are rotated at their source',
    });

    this.configurationSet = new ConfigurationSet(this, 'EmailEvents', {});
    this.configurationSet.addEventDestination('ToDefaultBus', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.REJECT,
      ],
    });

    this.sender = new CxFunction(this, 'Sender', {
      entry: 'services/followup/src/handlers/sender.ts',
      service: 'followup',
      description: 'Delivers outbound jobs (Slack, e-mail, webhooks, Zendesk) once each, with retries and rate limits',
      timeout: senderTimeout,
      reads: senderEnvironment,
      environment: {
        TABLE_NAME: props.table.tableName,
        OUTBOUND_QUEUE_URL: this.queue.queueUrl,
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        CHANNEL_SETTINGS_SECRET_ID: this.channelSettings.secretArn,
        UNSUBSCRIBE_KEY_SECRET_ID: props.unsubscribeKey.secretArn,
        SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
        EVENT_BUS_NAME: props.bus.eventBusName,
        MAX_ATTEMPTS: String(maxAttempts),
        PUBLIC_API_URL: props.publicApiUrl,
        ...(props.smsOriginationIdentity ? { SMS_ORIGINATION_IDENTITY: props.smsOriginationIdentity } : {}),
      },
    });
    if (props.smsOriginationIdentity) {
      this.sender.addToRolePolicy(
        new PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: [props.smsOriginationIdentity] }),
      );
    }
    props.table.grantTo(
      this.sender,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem',
    );
    this.channelSettings.grantRead(this.sender);
    props.unsubscribeKey.grantRead(this.sender);
    props.bus.grantPutEventsTo(this.sender);
    // Deferrals re-enqueue on the queue itself; a job deferred past its last attempt is moved to the DLQ by hand.
    this.queue.grantSendMessages(this.sender);
    this.deadLetterQueue.grantSendMessages(this.sender);
    const { account, region, partition } = Stack.of(this);
    this.sender.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          `arn:${partition}:ses:${region}:${account}:identity/*`,
          `arn:${partition}:ses:${region}:${account}:configuration-set/*`,
        ],
      }),
    );
    acknowledgeSesWildcards(this.sender.role as IConstruct);
    work.consumeWith(this.sender, { batchSize: 10, maxBatchingWindow: Duration.seconds(1), maxConcurrency: 5 });

    this.messagesApi = new CxFunction(this, 'MessagesApi', {
      entry: 'services/followup/src/handlers/messages-api.ts',
      service: 'followup',
      description: 'Admin API of follow-up channel settings and the message log',
      reads: messagesApiEnvironment,
      environment: { TABLE_NAME: props.table.tableName, CHANNEL_SETTINGS_SECRET_ID: this.channelSettings.secretArn },
    });
    props.table.grantTo(this.messagesApi, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem');
    this.channelSettings.grantRead(this.messagesApi);
    this.channelSettings.grantWrite(this.messagesApi);
  }

  /** Lets a function put jobs on the outbound queue, whose URL its environment names (`OUTBOUND_QUEUE_URL`). */
  grantEnqueue(fn: CxFunction): void {
    this.queue.grantSendMessages(fn);
  }

  addRoutes(api: CxHttpApi): void {
    api.addRoutes(outboundAdminRoutes, this.messagesApi);
  }
}

function acknowledgeSesWildcards(role: IConstruct): void {
  const reason =
    'The sender identity and an optional configuration set are chosen at run time in the channel settings; ' +
    'ses:SendEmail is the only action granted on them';
  for (const resource of ['identity', 'configuration-set']) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:${resource}/*]`,
      reason,
    });
  }
}
