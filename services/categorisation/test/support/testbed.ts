import { FeedbackCategorised } from '@cxloop/events';
import type { EventToPublish, PublishEvents } from '@cxloop/lambda-kit';
import { createServiceTable } from '../../../../test/support/dynamodb';
import { categorisationStores } from '../../src/store';
import { activeCategoriser } from '../../src/use-cases/active-categoriser';
import type { Job } from '../../src/use-cases/jobs';

/** A fresh categorisation table in DynamoDB Local with every store, a recording bus and job queue. */
export async function categorisationTestbed() {
  const { db, tableName } = await createServiceTable('categorisation');
  const stores = categorisationStores(db, tableName);
  const published: EventToPublish[] = [];
  const jobs: Job[] = [];
  const publish: PublishEvents = async (events) => {
    published.push(...events);
  };
  return {
    db,
    tableName,
    ...stores,
    publish,
    published,
    jobs,
    enqueue: async (job: Job) => {
      jobs.push(job);
    },
    // No caching: every call sees the latest taxonomy and model.
    categoriser: activeCategoriser(stores, { ttlMs: 0 }),
    /** FeedbackCategorised data published so far, validated against the contract. */
    categorised: () => published.map((event) => FeedbackCategorised.dataSchema.parse(event.data)),
  };
}
export type CategorisationTestbed = Awaited<ReturnType<typeof categorisationTestbed>>;

export { feedback, received } from './feedback';
