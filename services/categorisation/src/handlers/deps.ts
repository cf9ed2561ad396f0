import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { documentClient, eventPublisher } from '@cxloop/lambda-kit';
import type { ServiceEnvironment } from '../environment';
import { categorisationStores } from '../store';
import { activeCategoriser } from '../use-cases/active-categoriser';
import type { EnqueueJob } from '../use-cases/jobs';

/** The stores, bus and active categoriser every categorisation function uses; read once per cold start. */
export function serviceDeps(env: ServiceEnvironment) {
  const stores = categorisationStores(documentClient(), env.TABLE_NAME);
  return {
    ...stores,
    publish: eventPublisher(env.EVENT_BUS_NAME),
    categoriser: activeCategoriser(stores),
  };
}

/** Sends jobs to the worker's queue. */
export function jobQueue(queueUrl: string, sqs = new SQSClient({})): EnqueueJob {
  return async (job) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(job) }));
  };
}
