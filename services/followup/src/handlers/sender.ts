import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BusinessMetrics,
  cached,
  countMetric,
  documentClient,
  eventPublisher,
  logger,
  type RecordTurn,
  RetryLater,
  secretText,
  sqsConsumer,
} from '@cxloop/lambda-kit';
import type { SQSRecord } from 'aws-lambda';
import { outboundUrlPolicyOf } from '../domain/url-policy';
import { senderEnvironment } from '../environment';
import { channelDrivers } from '../outbound/channels';
import { deliverJob, messageEnding, type SenderDeps } from '../outbound/deliver';
import { channelSettingsStore } from '../store/channel-settings';
import { messageStore } from '../store/messages';
import { currentRetention } from '../store/privacy';
import { rateLimiter } from '../store/rate-limits';
import { suppressionStore } from '../store/suppressions';

const env = senderEnvironment.read();
const tableName = env.TABLE_NAME;
const queueUrl = env.OUTBOUND_QUEUE_URL;
const deadLetterQueueUrl = env.DEAD_LETTER_QUEUE_URL;
const db = documentClient();
const sqs = new SQSClient({});
const urlPolicy = outboundUrlPolicyOf(process.env);
const settings = channelSettingsStore(env.CHANNEL_SETTINGS_SECRET_ID, urlPolicy);
/** Read again every five minutes, so a rotated key reaches warm senders. */
const unsubscribeKey = secretText(env.UNSUBSCRIBE_KEY_SECRET_ID, 300_000);

/** Message attributes a deferred job carries to its next message. */
const PRIOR_RECEIVES = 'cx-prior-receives';
const DEFERRALS = 'cx-deferrals';
/** A claim outlives the invocation that made it by this much (clock skew between workers). */
const LEASE_MARGIN_MS = 10_000;

const deps: SenderDeps = {
  messages: messageStore(db, tableName, currentRetention(db, tableName)),
  suppressions: suppressionStore(db, tableName),
  rateLimiter: rateLimiter(db, tableName),
  // A PUT /v1/followup-channels reaches every warm sender within seconds.
  settings: cached(settings.read, 10_000),
  deliver: channelDrivers({
    // One attempt with a timeout: a hung call becomes a transient failure retried through the queue (backoff,
    // counted attempts) instead of running into the function timeout, which would leave the claim "interrupted".
    ses: new SESv2Client({ maxAttempts: 1, requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 } }),
    publicApiUrl: env.PUBLIC_API_URL,
    unsubscribeKey: async () => Buffer.from(await unsubscribeKey(), 'utf8'),
    defaultConfigurationSet: env.SES_CONFIGURATION_SET,
    // AWS End User Messaging SMS (pinpoint-sms-voice-v2) rather than SNS Publish to a phone number: its
    // SendTextMessage names an origination identity (phone number, sender id or pool) whose ARN is the only
    // resource the sender may use (SNS's SMS publishing can only be granted on "*"), it is where AWS develops SMS
    // (opt-out lists, two-way SMS to an SNS topic, configuration sets; SNS SMS sends through it), and CloudFormation
    // has its resources (AWS::SMSVOICE::*, aws-cdk-lib's aws_smsvoice L1s). Same single-attempt policy as SES.
    sms: {
      client: new PinpointSMSVoiceV2Client({
        maxAttempts: 1,
        requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
      }),
      originationIdentity: env.SMS_ORIGINATION_IDENTITY,
    },
    urlPolicy,
  }),
  publish: eventPublisher(env.EVENT_BUS_NAME),
  log: (message, attributes) => logger.info(message, attributes),
  maxAttempts: Number(env.MAX_ATTEMPTS),
};

const numberAttribute = (record: SQSRecord, name: string) => Number(record.messageAttributes?.[name]?.stringValue ?? 0);

/** One record: the use case decides, this function only carries out what it decided on the queue. */
async function handleRecord(record: SQSRecord, { context }: RecordTurn): Promise<void> {
  const action = await deliverJob(
    deps,
    {
      body: record.body,
      sqsMessageId: record.messageId,
      receiveCount: Number(record.attributes.ApproximateReceiveCount ?? 1),
      priorReceives: numberAttribute(record, PRIOR_RECEIVES),
      deferrals: numberAttribute(record, DEFERRALS),
      leaseMs: context.getRemainingTimeInMillis() + LEASE_MARGIN_MS,
    },
    new Date(),
  );
  const ending = messageEnding(action);
  if (ending) countMetric(ending === 'sent' ? BusinessMetrics.messagesSent : BusinessMetrics.messagesFailed);
  switch (action.action) {
    case 'ack':
      return;
    case 'retry':
      // Failing the record alone would bring it back after the queue's visibility timeout; the backoff is set here.
      try {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: action.visibilitySeconds,
          }),
        );
      } catch (error) {
        logger.warn('Could not set the retry backoff', { error: (error as Error).name });
      }
      throw new RetryLater(action.reason);
    case 'defer':
      // A new message, so the wait for a rate-limit slot does not use up one of the job's receives.
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: record.body,
          DelaySeconds: action.delaySeconds,
          MessageAttributes: {
            [PRIOR_RECEIVES]: { DataType: 'Number', StringValue: String(action.priorReceives) },
            [DEFERRALS]: { DataType: 'Number', StringValue: String(action.deferrals) },
          },
        }),
      );
      return;
    case 'dead_letter':
      // Without the counters: a redrive starts the job afresh.
      await sqs.send(new SendMessageCommand({ QueueUrl: deadLetterQueueUrl, MessageBody: record.body }));
      return;
  }
}

/**
 * The outbound sender: SQS (outbound queue) → this function, with partial batch failures. Records of a batch are
 * handled concurrently; each one is delivered once (see `deliverJob`, which reads the raw body: a malformed job is
 * recorded, not retried).
 */
export const handler = sqsConsumer({ decode: (record) => record }, handleRecord, {
  concurrent: true,
  metrics: [BusinessMetrics.messagesSent, BusinessMetrics.messagesFailed],
});
