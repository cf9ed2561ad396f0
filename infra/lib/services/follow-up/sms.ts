import { smsLinksEnvironment, smsRepliesEnvironment } from '@cxloop/followup/environment';
import { smsLinkRoutes } from '@cxloop/followup/routes/sms';
import { Duration, Validations } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CxFunction } from '../../function';
import type { CxHttpApi } from '../../http-api';
import type { ServiceTable } from '../../service-table';
import { WorkQueue } from '../../work-queue';
import { acknowledgeScheduleWildcard, type SurveyInvitations } from './invitations';

/**
 * CDK context key of the origination identity SMS go from: the ARN of an AWS End User Messaging SMS phone number,
 * sender id or (recommended) phone pool. Without it the stack has no SMS permission and every SMS fails as not
 * configured.
 */
export const smsOriginationIdentityContextKey = 'cxloop:smsOriginationIdentity';

/** The origination identity of the context, checked; undefined when SMS is not configured. */
export function smsOriginationIdentityOf(scope: Construct): string | undefined {
  const value: unknown = scope.node.tryGetContext(smsOriginationIdentityContextKey);
  if (value === undefined) return undefined;
  if (
    typeof value !== 'string' ||
    !/^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number|sender-id|pool)\/\S+$/.test(value)
  ) {
    throw new Error(
      `Context ${smsOriginationIdentityContextKey} must be the ARN of an End User Messaging SMS phone number, sender id or pool; got ${String(value)}`,
    );
  }
  return value;
}

export interface SmsChannelProps {
  /** The follow-up table: invitations (read), people and suppressions (STOP replies). */
  readonly table: ServiceTable;
  /** Its schedule group, whose schedules a STOP reply deletes with the invitations it cancels. */
  readonly invitations: SurveyInvitations;
  /** Signs the hosted-page links the short links redirect to. */
  readonly invitationKey: ISecret;
  /** The HTTP API's endpoint: short links start with it. */
  readonly publicApiUrl: string;
}

/**
 * What SMS needs besides the sender (which sends them, see `OutboundDelivery`):
 *
 * 1. Short survey links: a text carries `<api>/i/<code>` instead of the signed hosted-page link (too long for two
 *    segments of Cyrillic); {@link links} answers it with a redirect to the signed link while the invitation's link
 *    is valid.
 * 2. Replies: set {@link repliesTopic} as the two-way channel of the number (or of the pool's numbers) in AWS End
 *    User Messaging SMS. It delivers each inbound text, raw, to {@link repliesQueue} (DLQ, alarm; the queue accepts
 *    this topic only, so there is no public endpoint and no SNS signature to check), consumed by {@link replies}: an
 *    opt-out reply (STOP, СТОП, …) unsubscribes the number and cancels its pending invitations.
 */
export class SmsChannel extends Construct {
  readonly links: CxFunction;
  readonly replies: CxFunction;
  readonly repliesTopic: Topic;
  readonly repliesQueue: Queue;
  readonly repliesDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: SmsChannelProps) {
    super(scope, id);
    const { table, invitations } = props;

    this.links = new CxFunction(this, 'Links', {
      entry: 'services/followup/src/handlers/sms-links.ts',
      service: 'followup',
      description: "Short survey links of SMS invitations: redirects to the invitation's signed hosted-page link",
      reads: smsLinksEnvironment,
      environment: {
        TABLE_NAME: table.tableName,
        INVITATION_KEY_SECRET_ID: props.invitationKey.secretArn,
        PUBLIC_API_URL: props.publicApiUrl,
      },
    });
    table.grantTo(this.links, 'dynamodb:GetItem');
    props.invitationKey.grantRead(this.links);

    // AWS-managed encryption: End User Messaging SMS publishes to it, which a key of our own would have to allow.
    this.repliesTopic = new Topic(this, 'RepliesTopic', {
      displayName: 'cxloop SMS replies (two-way channel)',
      enforceSSL: true,
    });
    Validations.of(this.repliesTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason: 'End User Messaging SMS publishes the replies; the queue it feeds is encrypted at rest',
    });
    this.repliesTopic.grantPublish(new ServicePrincipal('sms-voice.amazonaws.com'));
    const replies = new WorkQueue(this, 'Replies', { failure: 'SMS replies (opt-outs) could not be recorded' });
    this.repliesQueue = replies.queue;
    this.repliesDeadLetterQueue = replies.deadLetterQueue;
    this.repliesTopic.addSubscription(new SqsSubscription(this.repliesQueue, { rawMessageDelivery: true }));

    this.replies = new CxFunction(this, 'Replies', {
      entry: 'services/followup/src/handlers/sms-replies.ts',
      service: 'followup',
      description: 'SMS replies: STOP and other opt-out keywords unsubscribe the number',
      reads: smsRepliesEnvironment,
      environment: {
        TABLE_NAME: table.tableName,
        SCHEDULE_GROUP_NAME: invitations.scheduleGroup.scheduleGroupName,
        INVITATION_DUE_FUNCTION_ARN: invitations.invitationDue.functionArn,
        SCHEDULER_ROLE_ARN: invitations.schedulerRole.roleArn,
        SCHEDULER_DEAD_LETTER_ARN: invitations.scheduleDeadLetterQueue.queueArn,
      },
    });
    table.grantTo(
      this.replies,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
    );
    invitations.scheduleGroup.grantDeleteSchedules(this.replies);
    acknowledgeScheduleWildcard(this.replies, invitations.scheduleGroup);
    replies.consumeWith(this.replies, { batchSize: 10, maxBatchingWindow: Duration.seconds(1), maxConcurrency: 2 });
  }

  addRoutes(api: CxHttpApi): void {
    api.addRoutes(smsLinkRoutes, this.links);
  }
}
