import {
  adminApiEnvironment,
  aggregatorEnvironment,
  erasureConsumerEnvironment,
  metricsApiEnvironment,
  rebuildWorkerEnvironment,
  segmentWatchEnvironment,
} from '@cxloop/aggregation/environment';
import { aggregationAdminRoutes, aggregationDelightedRoutes, aggregationReadRoutes } from '@cxloop/aggregation/routes';
import { FeedbackCategorised } from '@cxloop/events';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { addErasureConsumer } from '../erasure-consumer';
import { EventConsumer } from '../event-consumer';
import { CxFunction } from '../function';
import type { CxHttpApi } from '../http-api';
import { ServiceTable } from '../service-table';
import { WorkQueue } from '../work-queue';

export interface AggregationServiceProps {
  readonly bus: IEventBus;
}

/** CDK context key: minutes between two scheduled segment checks (60 unless set). */
export const segmentWatchMinutesContextKey = 'cxloop:segmentWatchMinutes';

/**
 * Exact score histograms per time bucket and segment, the feedback explorer's read model and metric alerts; serves
 * the metrics API. A rebuild recounts a survey's stored feedback on a queue of its own, one survey per message.
 */
export class AggregationService extends Construct {
  readonly table: ServiceTable;
  readonly consumer: CxFunction;
  readonly feedbackConsumer: EventConsumer;
  readonly metricsApi: CxFunction;
  readonly adminApi: CxFunction;
  readonly rebuildWorker: CxFunction;
  readonly rebuildQueue: Queue;
  readonly erasureConsumer: CxFunction;
  readonly erasureRequests: EventConsumer;
  readonly segmentWatch: CxFunction;

  constructor(scope: Construct, id: string, props: AggregationServiceProps) {
    super(scope, id);
    this.table = new ServiceTable(this, 'Table');
    const table = { TABLE_NAME: this.table.tableName };
    const bus = { EVENT_BUS_NAME: props.bus.eventBusName };

    this.consumer = new CxFunction(this, 'Aggregator', {
      entry: 'services/aggregation/src/handlers/consumer.ts',
      service: 'aggregation',
      description: 'Counts each version of categorised feedback exactly once into its histogram cells; raises alerts',
      reads: aggregatorEnvironment,
      environment: { ...table, ...bus },
      timeout: Duration.seconds(30),
    });
    this.table.grantTo(
      this.consumer,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    );
    props.bus.grantPutEventsTo(this.consumer);
    this.feedbackConsumer = new EventConsumer(this, 'Feedback', {
      bus: props.bus,
      contracts: [FeedbackCategorised],
      handler: this.consumer,
      // A batch shares its cell updates: the larger it is, the fewer writes per response.
      batchSize: 50,
      maxBatchingWindow: Duration.seconds(2),
      maxConcurrency: 2,
    });

    this.metricsApi = new CxFunction(this, 'MetricsApi', {
      entry: 'services/aggregation/src/handlers/metrics-api.ts',
      service: 'aggregation',
      description: 'Metrics API (NPS, CSAT, CES by period and segment), Delighted metrics, feedback explorer',
      reads: metricsApiEnvironment,
      environment: table,
    });
    this.table.grantTo(this.metricsApi, 'dynamodb:GetItem', 'dynamodb:Query');

    const rebuildTimeout = Duration.minutes(5);
    const rebuild = new WorkQueue(this, 'Rebuild', {
      consumerTimeout: rebuildTimeout,
      // Two surveys rebuild at a time, in steps of up to five minutes: a third waits its turn.
      maxMessageAge: Duration.hours(1),
      failure: 'A rebuild step failed five times (see the RebuildWorker logs)',
    });
    this.rebuildQueue = rebuild.queue;
    const rebuilds = { ...table, REBUILD_QUEUE_URL: this.rebuildQueue.queueUrl };

    this.adminApi = new CxFunction(this, 'AdminApi', {
      entry: 'services/aggregation/src/handlers/admin-api.ts',
      service: 'aggregation',
      description: 'Aggregation admin API: per-survey segment keys, combinations and alert rules; starts rebuilds',
      reads: adminApiEnvironment,
      environment: rebuilds,
    });
    this.table.grantTo(this.adminApi, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    this.rebuildQueue.grantSendMessages(this.adminApi);

    this.rebuildWorker = new CxFunction(this, 'RebuildWorker', {
      entry: 'services/aggregation/src/handlers/rebuild-worker.ts',
      service: 'aggregation',
      description: "Recounts a survey's stored feedback into a new generation of cells, then switches to it",
      reads: rebuildWorkerEnvironment,
      environment: rebuilds,
      timeout: rebuildTimeout,
      memorySize: 512,
    });
    this.table.grantTo(
      this.rebuildWorker,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    );
    this.rebuildQueue.grantSendMessages(this.rebuildWorker);
    rebuild.consumeWith(this.rebuildWorker, { batchSize: 1, maxConcurrency: 2 });

    this.segmentWatch = new CxFunction(this, 'SegmentWatch', {
      entry: 'services/aggregation/src/handlers/segment-watch.ts',
      service: 'aggregation',
      description:
        "Scheduled: each survey's segments against their previous window and the rest of the survey, and its answer rate; raises MetricAlertRaised",
      reads: segmentWatchEnvironment,
      environment: { ...table, ...bus },
      timeout: Duration.minutes(5),
    });
    // Reads cells and surveys, records the alert state (PutItem), publishes the alert.
    this.table.grantTo(this.segmentWatch, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem');
    props.bus.grantPutEventsTo(this.segmentWatch);
    const minutes = Number(this.node.tryGetContext(segmentWatchMinutesContextKey) ?? 60);
    if (!Number.isInteger(minutes) || minutes < 5) {
      throw new Error(`${segmentWatchMinutesContextKey} must be a whole number of minutes, at least 5`);
    }
    const scheduleRole = new Role(this, 'SegmentWatchScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
    });
    new Schedule(this, 'SegmentWatchSchedule', {
      description: "Checks every survey's segments for drops",
      schedule: ScheduleExpression.rate(Duration.minutes(minutes)),
      // The next tick is the retry: a late repeat of an old tick would only do the same work again.
      target: new LambdaInvoke(this.segmentWatch, {
        retryAttempts: 0,
        role: scheduleRole,
        // Without an input Scheduler sends `{}`; the tick's execution id correlates its logs and alerts.
        input: ScheduleTargetInput.fromObject({
          executionId: ContextAttribute.executionId,
          scheduledTime: ContextAttribute.scheduledTime,
        }),
      }),
    });
    const functionLogicalId = Stack.of(this).getLogicalId(this.segmentWatch.node.defaultChild as CfnFunction);
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
      reason: "lambda:InvokeFunction on the SegmentWatch function's own versions (how CDK grants invoke), nothing else",
    });

    ({ handler: this.erasureConsumer, requests: this.erasureRequests } = addErasureConsumer(this, {
      bus: props.bus,
      table: this.table,
      entry: 'services/aggregation/src/handlers/erasure-consumer.ts',
      service: 'aggregation',
      description: "Anonymises a person's feedback items (their counts stay); reports PersonErased",
      reads: erasureConsumerEnvironment,
      environment: { ...table, ...bus },
      timeout: Duration.seconds(30),
    }));
  }

  addRoutes(api: CxHttpApi): void {
    api.addRoutes(aggregationReadRoutes, this.metricsApi);
    api.addRoutes(aggregationDelightedRoutes, this.metricsApi);
    api.addRoutes(aggregationAdminRoutes, this.adminApi);
  }
}
