import { CaseResolved, PersonErased, PersonErasureRequested, RetentionPolicyChanged } from '@cxloop/events';
import {
  invitationDueEnvironment,
  peopleApiEnvironment,
  privacyConsumerEnvironment,
  resurveyConsumerEnvironment,
  sesEventsEnvironment,
  unsubscribePageEnvironment,
} from '@cxloop/followup/environment';
import { autopilotAdminRoutes, delightedPeopleRoutes } from '@cxloop/followup/routes/delighted';
import { peopleAdminRoutes, unsubscribePageRoutes } from '@cxloop/followup/routes/people';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EventConsumer } from '../../event-consumer';
import { CxFunction } from '../../function';
import type { CxHttpApi } from '../../http-api';
import type { ServiceTable } from '../../service-table';
import { WorkQueue } from '../../work-queue';
import type { OutboundDelivery } from './outbound';

export interface SurveyInvitationsProps {
  readonly bus: IEventBus;
  /** The follow-up table: people (`PERSON#`), invitations (`INVITE#`, `INVITES#`), suppressions, fatigue policy. */
  readonly table: ServiceTable;
  /** Checks the one-click unsubscribe links (the sender signs them). */
  readonly unsubscribeKey: ISecret;
  /** Invitation e-mails go out as outbound jobs. */
  readonly outbound: OutboundDelivery;
  /** Signs the survey links of invitations (collection's hosted pages accept them). */
  readonly invitationKey: ISecret;
  /** The HTTP API's endpoint: survey links point at the hosted pages it serves. */
  readonly publicApiUrl: string;
}

/** SES email-sending events that mean "never write to this address again". */
export const sesFeedbackDetailTypes = ['Email Bounced', 'Email Complaint Received'] as const;

/**
 * Survey invitations with fatigue limits, unsubscribes, and SES bounces and complaints.
 *
 * 1. `POST /v1/people` (PeopleApi) saves the person and decides: suppressed, now, or later (delay, new-contact delay,
 *    quiet hours). It reserves the person with a conditional write; an invitation due now goes on the outbound queue,
 *    a later one gets a one-time EventBridge Scheduler schedule in {@link scheduleGroup} that invokes
 *    {@link invitationDue} (asynchronously: Lambda retries twice, then the on-failure destination
 *    {@link scheduleDeadLetterQueue}, where Scheduler also puts invocations it could not make; an alarm fires, and
 *    `npm run redrive -- Invitations` moves them to {@link dueRetryQueue}, which InvitationDue consumes).
 * 2. `DELETE /v1/people/{person}/survey_requests/pending` cancels pending invitations and deletes their schedules.
 * 3. Unsubscribes: `POST/GET /v1/unsubscribes` (admin) and the one-click `GET/POST /u/{token}` (UnsubscribePage,
 *    public, RFC 8058) suppress the person and cancel their pending invitations; the sender checks suppressions for
 *    every job.
 * 4. SES bounces and complaints reach the default bus (the outbound configuration set publishes them there); a rule
 *    sends them through {@link sesEventsQueue} (DLQ {@link sesEventsDeadLetterQueue}) to {@link sesEvents}, which
 *    suppresses the address.
 * 5. CaseResolved with a re-survey configured → {@link resurvey} (rule → SQS + DLQ) → ResurveyConsumer invites the
 *    customer to rate the resolution.
 * 6. `DELETE /v1/people/{person}` records an erasure and publishes PersonErasureRequested; {@link privacy}
 *    (rule → SQS + DLQ) brings it to PrivacyConsumer, which erases follow-up's part, and brings each service's
 *    PersonErased to the erasure record, and RetentionPolicyChanged to follow-up's copy of the policy.
 * 7. The Delighted-compatible people, unsubscribes, bounces and Autopilot (`/delighted/v1/…`, PeopleApi): an
 *    Autopilot membership's runs are one-time schedules in {@link scheduleGroup} too; InvitationDue runs each (an
 *    invitation decided as in 1, and the next run's schedule).
 */
export class SurveyInvitations extends Construct {
  readonly peopleApi: CxFunction;
  /** Erasures (follow-up's own part and every service's report) and the retention policy copy, from one queue. */
  readonly privacyConsumer: CxFunction;
  readonly privacy: EventConsumer;
  readonly unsubscribePage: CxFunction;
  readonly invitationDue: CxFunction;
  readonly resurveyConsumer: CxFunction;
  readonly resurvey: EventConsumer;
  readonly sesEvents: CxFunction;
  readonly sesEventsRule: Rule;
  readonly sesEventsQueue: Queue;
  readonly sesEventsDeadLetterQueue: Queue;
  readonly scheduleGroup: ScheduleGroup;
  /** The role EventBridge Scheduler assumes to invoke {@link invitationDue}, and nothing else. */
  readonly schedulerRole: Role;
  /** Invitations that could not be delivered when due: Scheduler's failed invocations, InvitationDue's failures. */
  readonly scheduleDeadLetterQueue: Queue;
  /** Where a redrive of {@link scheduleDeadLetterQueue} sends its messages back to InvitationDue. */
  readonly dueRetryQueue: Queue;

  constructor(scope: Construct, id: string, props: SurveyInvitationsProps) {
    super(scope, id);
    const { table } = props;
    const tableEnvironment = { TABLE_NAME: table.tableName };
    const surveyLinks = {
      OUTBOUND_QUEUE_URL: props.outbound.queue.queueUrl,
      INVITATION_KEY_SECRET_ID: props.invitationKey.secretArn,
      PUBLIC_API_URL: props.publicApiUrl,
    };

    // Only redrives put messages on the queue: `npm run redrive -- Invitations` moves the dead letters back to it, and
    // InvitationDue consumes it (a redrive needs a source queue; Scheduler and Lambda's destination have none).
    const due = new WorkQueue(this, 'Schedule', {
      queueId: 'DueRetryQueue',
      failure: 'Delayed survey invitations could not be delivered',
    });
    this.scheduleDeadLetterQueue = due.deadLetterQueue;
    this.dueRetryQueue = due.queue;
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', {});
    const { account } = Stack.of(this);
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
      description: 'followup: EventBridge Scheduler invokes InvitationDue for delayed survey invitations',
    });
    this.scheduleDeadLetterQueue.grantSendMessages(this.schedulerRole);
    const schedulingAsTarget = {
      SCHEDULE_GROUP_NAME: this.scheduleGroup.scheduleGroupName,
      SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
      SCHEDULER_DEAD_LETTER_ARN: this.scheduleDeadLetterQueue.queueArn,
    };

    this.invitationDue = new CxFunction(this, 'InvitationDue', {
      entry: 'services/followup/src/handlers/invitation-due.ts',
      service: 'followup',
      description:
        'Sends a delayed survey invitation when its one-time schedule fires, unless cancelled or suppressed; runs ' +
        'Autopilot memberships (an invitation, and the next run)',
      reads: invitationDueEnvironment,
      environment: { ...tableEnvironment, ...surveyLinks, ...schedulingAsTarget },
    });
    // An Autopilot run decides an invitation like PeopleApi does (the reservation's TransactWriteItems).
    table.grantTo(
      this.invitationDue,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem',
    );
    props.invitationKey.grantRead(this.invitationDue);
    props.outbound.grantEnqueue(this.invitationDue);
    this.invitationDue.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(this.scheduleDeadLetterQueue),
    });
    due.consumeWith(this.invitationDue, { batchSize: 10, maxConcurrency: 2 });

    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.invitationDue.functionArn] }),
    );
    const schedulingEnvironment = {
      ...schedulingAsTarget,
      INVITATION_DUE_FUNCTION_ARN: this.invitationDue.functionArn,
    };
    const canCreateSchedules = (fn: CxFunction) => {
      this.scheduleGroup.grantWriteSchedules(fn);
      this.scheduleGroup.grantDeleteSchedules(fn);
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [this.schedulerRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      );
      acknowledgeScheduleWildcard(fn, this.scheduleGroup);
    };

    canCreateSchedules(this.invitationDue);

    this.peopleApi = new CxFunction(this, 'PeopleApi', {
      entry: 'services/followup/src/handlers/people-api.ts',
      service: 'followup',
      description: 'Admin API of people, survey invitations, the fatigue policy, unsubscribes and erasures',
      reads: peopleApiEnvironment,
      environment: {
        ...tableEnvironment,
        ...schedulingEnvironment,
        ...surveyLinks,
        EVENT_BUS_NAME: props.bus.eventBusName,
      },
    });
    // The reservation is a TransactWriteItems of an UpdateItem and a PutItem, which need exactly these; leaving
    // Autopilot deletes the membership.
    table.grantTo(
      this.peopleApi,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:Query',
      'dynamodb:BatchWriteItem',
    );
    // DELETE /v1/people/{person} publishes the erasure request.
    props.bus.grantPutEventsTo(this.peopleApi);
    props.invitationKey.grantRead(this.peopleApi);
    props.outbound.grantEnqueue(this.peopleApi);
    canCreateSchedules(this.peopleApi);

    this.privacyConsumer = new CxFunction(this, 'PrivacyConsumer', {
      entry: 'services/followup/src/handlers/privacy-consumer.ts',
      service: 'followup',
      description: "Follow-up's part of erasures, the erasure records' progress, and its copy of the retention policy",
      reads: privacyConsumerEnvironment,
      environment: { ...tableEnvironment, ...schedulingEnvironment, EVENT_BUS_NAME: props.bus.eventBusName },
    });
    table.grantTo(
      this.privacyConsumer,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:Query',
      'dynamodb:BatchWriteItem',
    );
    props.bus.grantPutEventsTo(this.privacyConsumer);
    // An erased person's pending invitations lose their schedules.
    this.scheduleGroup.grantDeleteSchedules(this.privacyConsumer);
    acknowledgeScheduleWildcard(this.privacyConsumer, this.scheduleGroup);
    this.privacy = new EventConsumer(this, 'Privacy', {
      bus: props.bus,
      contracts: [PersonErasureRequested, ...Object.values(PersonErased), RetentionPolicyChanged],
      handler: this.privacyConsumer,
    });

    this.unsubscribePage = new CxFunction(this, 'UnsubscribePage', {
      entry: 'services/followup/src/handlers/unsubscribe-page.ts',
      service: 'followup',
      description: 'One-click unsubscribe links (RFC 8058): confirmation page and POST',
      reads: unsubscribePageEnvironment,
      environment: {
        ...tableEnvironment,
        ...schedulingEnvironment,
        UNSUBSCRIBE_KEY_SECRET_ID: props.unsubscribeKey.secretArn,
      },
    });
    table.grantTo(
      this.unsubscribePage,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
    );
    props.unsubscribeKey.grantRead(this.unsubscribePage);
    this.scheduleGroup.grantDeleteSchedules(this.unsubscribePage);
    acknowledgeScheduleWildcard(this.unsubscribePage, this.scheduleGroup);

    this.resurveyConsumer = new CxFunction(this, 'ResurveyConsumer', {
      entry: 'services/followup/src/handlers/resurvey-consumer.ts',
      service: 'followup',
      description: 'Invites the customer of a resolved case to rate the resolution (re-survey)',
      reads: resurveyConsumerEnvironment,
      environment: { ...tableEnvironment, ...schedulingEnvironment, ...surveyLinks },
    });
    table.grantTo(
      this.resurveyConsumer,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem',
    );
    props.invitationKey.grantRead(this.resurveyConsumer);
    props.outbound.grantEnqueue(this.resurveyConsumer);
    canCreateSchedules(this.resurveyConsumer);
    this.resurvey = new EventConsumer(this, 'Resurvey', {
      bus: props.bus,
      contracts: [CaseResolved],
      handler: this.resurveyConsumer,
    });

    this.sesEvents = new CxFunction(this, 'SesEvents', {
      entry: 'services/followup/src/handlers/ses-events.ts',
      service: 'followup',
      description: 'Suppresses addresses that bounced permanently or complained (SES events)',
      reads: sesEventsEnvironment,
      environment: tableEnvironment,
    });
    table.grantTo(this.sesEvents, 'dynamodb:PutItem', 'dynamodb:BatchWriteItem');
    const sesEvents = new WorkQueue(this, 'SesEvents', {
      failure: 'SES bounces or complaints could not be recorded',
    });
    this.sesEventsQueue = sesEvents.queue;
    this.sesEventsDeadLetterQueue = sesEvents.deadLetterQueue;
    // On the default bus: SES publishes email-sending events only there.
    this.sesEventsRule = new Rule(this, 'SesEventsRule', {
      description: 'SES bounces and complaints → follow-up suppressions',
      eventPattern: { source: ['aws.ses'], detailType: [...sesFeedbackDetailTypes] },
      targets: [sesEvents.ruleTarget()],
    });
    sesEvents.consumeWith(this.sesEvents, { batchSize: 10, maxBatchingWindow: Duration.seconds(1), maxConcurrency: 2 });
  }

  addRoutes(api: CxHttpApi): void {
    api.addRoutes(peopleAdminRoutes, this.peopleApi);
    api.addRoutes(delightedPeopleRoutes, this.peopleApi);
    api.addRoutes(autopilotAdminRoutes, this.peopleApi);
    api.addRoutes(unsubscribePageRoutes, this.unsubscribePage);
  }
}

/** CDK grants schedule actions on `schedule/<group>/*`: the schedules of this construct's own group only. */
export function acknowledgeScheduleWildcard(fn: CxFunction, group: ScheduleGroup): void {
  Validations.of(fn.role as unknown as Construct).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${group.scheduleGroupName}/*]`,
    reason: "Create/delete of the invitation schedules in this construct's own schedule group only",
  });
}
