import { FeedbackReceived } from '@cxloop/events';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { EventConsumer } from '../event-consumer';
import { CxFunction } from '../function';
import type { CxHttpApi } from '../http-api';
import { ServiceTable } from '../service-table';

export interface CategorisationServiceProps {
  readonly bus: IEventBus;
}

/** Language, sentiment, topics, intent and churn risk of every piece of feedback; publishes FeedbackCategorised. */
export class CategorisationService extends Construct {
  readonly table: ServiceTable;
  readonly consumer: CxFunction;
  readonly feedbackConsumer: EventConsumer;

  constructor(scope: Construct, id: string, props: CategorisationServiceProps) {
    super(scope, id);
    this.table = new ServiceTable(this, 'Table');

    this.consumer = new CxFunction(this, 'Categoriser', {
      entry: 'services/categorisation/src/handlers/consumer.ts',
      service: 'categorisation',
      description: 'Categorises received feedback and publishes FeedbackCategorised',
      environment: { TABLE_NAME: this.table.tableName, EVENT_BUS_NAME: props.bus.eventBusName },
      memorySize: 512,
    });
    this.table.grantTo(this.consumer, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    props.bus.grantPutEventsTo(this.consumer);
    this.feedbackConsumer = new EventConsumer(this, 'Feedback', {
      bus: props.bus,
      contracts: [FeedbackReceived],
      handler: this.consumer,
    });
  }

  addRoutes(_api: CxHttpApi): void {}
}
