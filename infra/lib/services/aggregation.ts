import { aggregationAdminRoutes } from '@cxloop/aggregation/routes';
import { FeedbackCategorised } from '@cxloop/events';
import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { EventConsumer } from '../event-consumer';
import { CxFunction } from '../function';
import type { CxHttpApi } from '../http-api';
import { ServiceTable } from '../service-table';

export interface AggregationServiceProps {
  readonly bus: IEventBus;
}

/** Exact score histograms per time bucket and segment; serves the metrics API. */
export class AggregationService extends Construct {
  readonly table: ServiceTable;
  readonly consumer: CxFunction;
  readonly feedbackConsumer: EventConsumer;
  readonly metricsApi: CxFunction;

  constructor(scope: Construct, id: string, props: AggregationServiceProps) {
    super(scope, id);
    this.table = new ServiceTable(this, 'Table');
    const environment = { TABLE_NAME: this.table.tableName };

    this.consumer = new CxFunction(this, 'Aggregator', {
      entry: 'services/aggregation/src/handlers/consumer.ts',
      service: 'aggregation',
      description: 'Counts each revision of categorised feedback exactly once into its histogram cells',
      environment,
      timeout: Duration.seconds(30),
    });
    this.table.grantTo(
      this.consumer,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    );
    this.feedbackConsumer = new EventConsumer(this, 'Feedback', {
      bus: props.bus,
      contracts: [FeedbackCategorised],
      handler: this.consumer,
      batchSize: 50,
      maxBatchingWindow: Duration.seconds(2),
      maxConcurrency: 2,
    });

    this.metricsApi = new CxFunction(this, 'MetricsApi', {
      entry: 'services/aggregation/src/handlers/metrics-api.ts',
      service: 'aggregation',
      description: 'Metrics API: NPS, CSAT and CES by period and segment',
      environment,
    });
    this.table.grantTo(this.metricsApi, 'dynamodb:GetItem', 'dynamodb:Query');
  }

  addRoutes(api: CxHttpApi): void {
    api.addAdminRoutes(aggregationAdminRoutes, this.metricsApi);
  }
}
