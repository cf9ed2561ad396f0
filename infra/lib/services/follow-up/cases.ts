import { FeedbackCategorised } from '@cxloop/events';
import { caseAdminRoutes } from '@cxloop/followup/routes/cases';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { EventConsumer } from '../../event-consumer';
import { CxFunction } from '../../function';
import type { CxHttpApi } from '../../http-api';
import type { ServiceTable } from '../../service-table';
import type { OutboundDelivery } from './outbound';

export interface CaseManagementProps {
  readonly bus: IEventBus;
  readonly table: ServiceTable;
  readonly unsubscribeKey: ISecret;
  readonly outbound: OutboundDelivery;
}

/** Rules, cases with owners and SLAs, escalation and the cases API. */
export class CaseManagement extends Construct {
  readonly consumer: CxFunction;
  readonly feedbackConsumer: EventConsumer;
  readonly adminApi: CxFunction;

  constructor(scope: Construct, id: string, props: CaseManagementProps) {
    super(scope, id);
    const environment = { TABLE_NAME: props.table.tableName };

    this.consumer = new CxFunction(this, 'FeedbackConsumer', {
      entry: 'services/followup/src/handlers/consumer.ts',
      service: 'followup',
      description: 'Opens cases for categorised feedback that calls for follow-up',
      environment: { ...environment, EVENT_BUS_NAME: props.bus.eventBusName },
    });
    props.table.grantTo(this.consumer, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
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
    props.table.grantTo(this.adminApi, 'dynamodb:GetItem', 'dynamodb:Query');
  }

  addRoutes(api: CxHttpApi): void {
    api.addAdminRoutes(caseAdminRoutes, this.adminApi);
  }
}
