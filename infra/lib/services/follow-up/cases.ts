import { FeedbackCategorised, MetricAlertRaised } from '@cxloop/events';
import {
  alertConsumerEnvironment,
  caseAdminApiEnvironment,
  feedbackConsumerEnvironment,
  slaTimerEnvironment,
} from '@cxloop/followup/environment';
import { caseAdminRoutes } from '@cxloop/followup/routes/cases';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { EventConsumer } from '../../event-consumer';
import { CxFunction } from '../../function';
import type { CxHttpApi } from '../../http-api';
import type { ServiceTable } from '../../service-table';
import { ParkingQueue } from '../../work-queue';
import type { OutboundDelivery } from './outbound';

export interface CaseManagementProps {
  readonly bus: IEventBus;
  /** The follow-up table: cases (`CASE#`, `CASES#`), rules (`RULES#`), config (`CONFIG#`), `PERSONCASE#`. */
  readonly table: ServiceTable;
  readonly unsubscribeKey: ISecret;
  /** Every Slack and webhook notification goes through its queue. */
  readonly outbound: OutboundDelivery;
  /** The HTTP API's endpoint: notifications link to the case in the dashboard it serves. */
  readonly publicApiUrl: string;
}

/**
 * Rules, cases with owners and SLAs, escalation, metric-alert notifications and the cases API.
 *
 * 1. `FeedbackConsumer` (FeedbackCategorised via rule → SQS + DLQ) evaluates the current rule set, publishes
 *    FollowUpRequested, opens (or reopens) the case for the routed owner, arms its SLA timer — a one-time EventBridge
 *    Scheduler schedule in {@link scheduleGroup} — publishes CaseOpened and enqueues the Slack / webhook / e-mail jobs.
 * 2. When a first-contact deadline passes, Scheduler invokes `SlaTimer` asynchronously (as {@link schedulerRole}, which
 *    may invoke only that function). It escalates the case, enqueues the escalation message, publishes CaseEscalated
 *    and arms the next step. Lambda retries a failed invocation twice, then parks it in {@link timerFailures}; an
 *    invocation Scheduler could not make lands there too. An alarm fires on either.
 * 3. `AdminApi` serves cases, rules, config and closed-loop metrics; first contact disarms the timer, resolving or
 *    closing publishes CaseResolved.
 * 4. `AlertConsumer` (MetricAlertRaised via rule → SQS + DLQ) enqueues the alert's Slack (and webhook) message; an
 *    alert for a segment opens its outreach: a case (with its SLA timer and CaseOpened) for each of the segment's
 *    recent detractors and passives with proven contact, whom FeedbackConsumer keeps as candidates.
 */
export class CaseManagement extends Construct {
  readonly consumer: CxFunction;
  readonly feedbackConsumer: EventConsumer;
  readonly adminApi: CxFunction;
  readonly slaTimer: CxFunction;
  readonly scheduleGroup: ScheduleGroup;
  readonly schedulerRole: Role;
  readonly timerFailures: Queue;
  readonly alertConsumer: CxFunction;
  readonly alerts: EventConsumer;

  constructor(scope: Construct, id: string, props: CaseManagementProps) {
    super(scope, id);
    const { table, bus, outbound } = props;
    const caseEnvironment = {
      TABLE_NAME: table.tableName,
      EVENT_BUS_NAME: bus.eventBusName,
      OUTBOUND_QUEUE_URL: outbound.queue.queueUrl,
      PUBLIC_API_URL: props.publicApiUrl,
    };
    const stack = Stack.of(this);

    this.scheduleGroup = new ScheduleGroup(this, 'SlaTimers', {});
    this.timerFailures = new ParkingQueue(
      this,
      'SlaTimerFailures',
      'SLA timer invocations failed (see the failure records in the SlaTimerFailures queue): fix the cause, then ' +
        'invoke SlaTimer again with each record’s requestPayload',
    );
    Validations.of(this.timerFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'It is the dead-letter destination itself (failed SLA timer invocations), read by operators',
    });

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'followup: lets SLA schedules invoke the SlaTimer function (and dead-letter what they cannot)',
    });
    const timers = {
      SLA_SCHEDULE_GROUP: this.scheduleGroup.scheduleGroupName,
      SLA_SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
      SLA_DEAD_LETTER_ARN: this.timerFailures.queueArn,
    };

    this.slaTimer = new CxFunction(this, 'SlaTimer', {
      entry: 'services/followup/src/handlers/sla-timer.ts',
      service: 'followup',
      description: 'Escalates a follow-up case whose first-contact SLA passed (invoked by its Scheduler schedule)',
      reads: slaTimerEnvironment,
      environment: { ...caseEnvironment, ...timers },
    });
    this.slaTimer.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.timerFailures),
    });
    table.grantTo(
      this.slaTimer,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    );
    bus.grantPutEventsTo(this.slaTimer);
    outbound.grantEnqueue(this.slaTimer);
    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.slaTimer.functionArn] }),
    );
    this.timerFailures.grantSendMessages(this.schedulerRole);
    // The timer arms the next escalation step's schedule, which targets the timer itself.
    this.grantArmTimers(this.slaTimer);

    this.consumer = new CxFunction(this, 'FeedbackConsumer', {
      entry: 'services/followup/src/handlers/consumer.ts',
      service: 'followup',
      description: 'Carries out the follow-up rules for categorised feedback: cases with SLA timers and messages',
      reads: feedbackConsumerEnvironment,
      environment: { ...caseEnvironment, ...timers, SLA_TIMER_ARN: this.slaTimer.functionArn },
    });
    table.grantTo(
      this.consumer,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    );
    bus.grantPutEventsTo(this.consumer);
    outbound.grantEnqueue(this.consumer);
    this.grantArmTimers(this.consumer);
    this.feedbackConsumer = new EventConsumer(this, 'Feedback', {
      bus,
      contracts: [FeedbackCategorised],
      handler: this.consumer,
    });

    this.adminApi = new CxFunction(this, 'AdminApi', {
      entry: 'services/followup/src/handlers/admin-api.ts',
      service: 'followup',
      description: 'Admin API of follow-up cases, rules, config and closed-loop metrics',
      reads: caseAdminApiEnvironment,
      environment: {
        TABLE_NAME: table.tableName,
        EVENT_BUS_NAME: bus.eventBusName,
        SLA_SCHEDULE_GROUP: this.scheduleGroup.scheduleGroupName,
      },
    });
    table.grantTo(
      this.adminApi,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:BatchWriteItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );
    bus.grantPutEventsTo(this.adminApi);
    this.adminApi.addToRolePolicy(
      new PolicyStatement({ actions: ['scheduler:DeleteSchedule'], resources: [this.schedulesArn()] }),
    );
    this.acknowledgeScheduleWildcard(this.adminApi);

    this.alertConsumer = new CxFunction(this, 'AlertConsumer', {
      entry: 'services/followup/src/handlers/alert-consumer.ts',
      service: 'followup',
      description:
        "Turns metric alerts into Slack (and webhook) notifications and a segment's alert into its outreach cases",
      reads: alertConsumerEnvironment,
      environment: { ...caseEnvironment, ...timers, SLA_TIMER_ARN: this.slaTimer.functionArn },
    });
    table.grantTo(
      this.alertConsumer,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem',
    );
    bus.grantPutEventsTo(this.alertConsumer);
    outbound.grantEnqueue(this.alertConsumer);
    this.grantArmTimers(this.alertConsumer);
    this.alerts = new EventConsumer(this, 'Alerts', {
      bus,
      contracts: [MetricAlertRaised],
      handler: this.alertConsumer,
    });
  }

  addRoutes(api: CxHttpApi): void {
    api.addRoutes(caseAdminRoutes, this.adminApi);
  }

  /** Schedules of the SLA group only. */
  private schedulesArn(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroup.scheduleGroupName}/*`,
    });
  }

  /** Create and delete SLA schedules, handing Scheduler only the role that may invoke the SlaTimer. */
  private grantArmTimers(fn: CxFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [this.schedulesArn()],
      }),
    );
    this.schedulerRole.grantPassRole(fn.grantPrincipal);
    this.acknowledgeScheduleWildcard(fn);
  }

  private acknowledgeScheduleWildcard(fn: CxFunction): void {
    // The group's name is generated at synthesis (a plain string), so it appears as such in the finding.
    const group = this.scheduleGroup.scheduleGroupName;
    Validations.of(fn.role as IConstruct).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${group}/*]`,
      reason: 'Schedule names are per case and made at run time; the grant covers the SLA schedule group only',
    });
  }
}
