import { FeedbackCategorised } from '@cxloop/events';
import { followUpAdminRoutes } from '@cxloop/followup/routes';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { EventConsumer } from '../event-consumer';
import { CxFunction } from '../function';
import type { CxHttpApi } from '../http-api';
import { ServiceTable } from '../service-table';

export interface FollowUpServiceProps {
  readonly bus: IEventBus;
}

/** Rules, cases with SLAs, messages and invitations: turns categorised feedback into action. */
export class FollowUpService extends Construct {
  readonly table: ServiceTable;
  readonly consumer: CxFunction;
  readonly feedbackConsumer: EventConsumer;
  readonly adminApi: CxFunction;

  constructor(scope: Construct, id: string, props: FollowUpServiceProps) {
    super(scope, id);
    this.table = new ServiceTable(this, 'Table');
    const environment = { TABLE_NAME: this.table.tableName };

    this.consumer = new CxFunction(this, 'FeedbackConsumer', {
      entry: 'services/followup/src/handlers/consumer.ts',
      service: 'followup',
      description: 'Opens cases for categorised feedback that calls for follow-up',
      environment: { ...environment, EVENT_BUS_NAME: props.bus.eventBusName },
    });
    this.table.grantTo(this.consumer, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    props.bus.grantPutEventsTo(this.consumer);
    this.feedbackConsumer = new EventConsumer(this, 'Feedback', {
      bus: props.bus,
      contracts: [FeedbackCategorised],
      handler: this.consumer,
    });

    this.adminApi = new CxFunction(this, 'AdminApi', {
      entry: 'services/followup/src/handlers/admin-api.ts',
      service: 'followup',
      description: 'Admin API of follow-up cases',
      environment,
    });
    this.table.grantTo(this.adminApi, 'dynamodb:GetItem', 'dynamodb:Query');
  }

  addRoutes(api: CxHttpApi): void {
    api.addAdminRoutes(followUpAdminRoutes, this.adminApi);
  }
}
