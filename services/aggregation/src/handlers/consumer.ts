import { FeedbackCategorised } from '@cxloop/events';
import {
  BusinessMetrics,
  countMetric,
  documentClient,
  eventPublisher,
  eventsOf,
  sqsBatchConsumer,
} from '@cxloop/lambda-kit';
import { aggregatorEnvironment } from '../environment';
import { aggregationStores } from '../store';
import { type AggregationDeps, aggregateBatch } from '../use-cases/aggregate-batch';

const env = aggregatorEnvironment.read();
const deps: AggregationDeps = {
  ...aggregationStores(documentClient(), env.TABLE_NAME),
  publish: eventPublisher(env.EVENT_BUS_NAME),
};

/**
 * The whole SQS batch at once, not record by record, so that responses sharing a cell share its update. Records that
 * could not be counted (or whose survey's alerts could not be checked) are reported as batch item failures: SQS
 * retries only those, and parks them in the DLQ after five deliveries.
 */
export const handler = sqsBatchConsumer(
  eventsOf(FeedbackCategorised),
  async (events) => {
    const { retry, counted } = await aggregateBatch(deps, events, new Date());
    countMetric(BusinessMetrics.feedbackCounted, counted);
    return retry;
  },
  { metrics: [BusinessMetrics.feedbackCounted] },
);
