import {
  adminApiEnvironment,
  categoriserEnvironment,
  erasureConsumerEnvironment,
  workerEnvironment,
} from '@cxloop/categorisation/environment';
import { categorisationAdminRoutes } from '@cxloop/categorisation/routes';
import { unbundledModules as unbundled } from '@cxloop/categorisation/unbundled';
import { FeedbackReceived } from '@cxloop/events';
import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { addErasureConsumer } from '../erasure-consumer';
import { EventConsumer } from '../event-consumer';
import { CxFunction } from '../function';
import type { CxHttpApi } from '../http-api';
import { ServiceTable } from '../service-table';
import { WorkQueue } from '../work-queue';

export interface CategorisationServiceProps {
  readonly bus: IEventBus;
}

/** What every function that writes results does to the table: results and their label index entries, in transactions. */
const resultWriteActions = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * Language, sentiment, topics, intent and churn risk of every piece of feedback; publishes FeedbackCategorised.
 * The admin API edits the taxonomy and takes corrections; a worker on a queue of its own trains the correction model
 * and re-categorises stored feedback after a taxonomy change.
 */
export class CategorisationService extends Construct {
  readonly table: ServiceTable;
  readonly consumer: CxFunction;
  readonly feedbackConsumer: EventConsumer;
  readonly adminApi: CxFunction;
  readonly worker: CxFunction;
  readonly jobQueue: Queue;
  readonly erasureConsumer: CxFunction;
  readonly erasureRequests: EventConsumer;

  constructor(scope: Construct, id: string, props: CategorisationServiceProps) {
    super(scope, id);
    this.table = new ServiceTable(this, 'Table');
    const environment = { TABLE_NAME: this.table.tableName, EVENT_BUS_NAME: props.bus.eventBusName };

    this.consumer = new CxFunction(this, 'Categoriser', {
      entry: 'services/categorisation/src/handlers/consumer.ts',
      service: 'categorisation',
      description: 'Categorises received feedback with the active taxonomy and model; publishes FeedbackCategorised',
      reads: categoriserEnvironment,
      environment,
      unbundled,
      memorySize: 512,
    });
    this.table.grantTo(this.consumer, ...resultWriteActions);
    props.bus.grantPutEventsTo(this.consumer);
    this.feedbackConsumer = new EventConsumer(this, 'Feedback', {
      bus: props.bus,
      contracts: [FeedbackReceived],
      handler: this.consumer,
    });

    const workerTimeout = Duration.minutes(5);
    const jobs = new WorkQueue(this, 'Job', {
      consumerTimeout: workerTimeout,
      // Jobs run two at a time for up to five minutes each: the others wait their turn.
      maxMessageAge: Duration.hours(1),
      failure: 'Training or re-categorisation failed five times (see the Worker logs)',
    });
    this.jobQueue = jobs.queue;
    const withJobs = { ...environment, JOB_QUEUE_URL: this.jobQueue.queueUrl };

    this.adminApi = new CxFunction(this, 'AdminApi', {
      entry: 'services/categorisation/src/handlers/admin-api.ts',
      service: 'categorisation',
      description: 'Taxonomy versions, corrections and the categorisations query; starts re-categorisation',
      reads: adminApiEnvironment,
      environment: withJobs,
      unbundled,
      memorySize: 512,
    });
    this.table.grantTo(this.adminApi, ...resultWriteActions, 'dynamodb:Query', 'dynamodb:BatchGetItem');
    props.bus.grantPutEventsTo(this.adminApi);
    this.jobQueue.grantSendMessages(this.adminApi);

    this.worker = new CxFunction(this, 'Worker', {
      entry: 'services/categorisation/src/handlers/worker.ts',
      service: 'categorisation',
      description: 'Trains the correction model; re-categorises stored feedback after a taxonomy change',
      reads: workerEnvironment,
      environment: withJobs,
      unbundled,
      timeout: workerTimeout,
      memorySize: 1024,
    });
    this.table.grantTo(this.worker, ...resultWriteActions, 'dynamodb:Query');
    props.bus.grantPutEventsTo(this.worker);
    this.jobQueue.grantSendMessages(this.worker);
    // One job per invocation and the lowest concurrency SQS allows: training reads every correction, and parallel
    // re-categorisations would only repeat each other.
    jobs.consumeWith(this.worker, { batchSize: 1, maxConcurrency: 2 });

    ({ handler: this.erasureConsumer, requests: this.erasureRequests } = addErasureConsumer(this, {
      bus: props.bus,
      table: this.table,
      entry: 'services/categorisation/src/handlers/erasure-consumer.ts',
      service: 'categorisation',
      description: "Erases a person's results and corrections, retrains the model without them; reports PersonErased",
      reads: erasureConsumerEnvironment,
      environment,
      unbundled,
      // Retraining reads every correction, like the worker; PutItem: only the retrained model.
      timeout: Duration.minutes(2),
      memorySize: 1024,
      extraTableActions: ['dynamodb:PutItem'],
    }));
  }

  addRoutes(api: CxHttpApi): void {
    api.addRoutes(categorisationAdminRoutes, this.adminApi);
  }
}
