import { FeedbackCategorised } from '@cxloop/events';
import { documentClient, eventPublisher, logger, parseEvent, requiredEnv } from '@cxloop/lambda-kit';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { aggregationStores } from '../store';
import { type AggregationDeps, aggregateBatch } from '../use-cases/aggregate-batch';

const deps: AggregationDeps = {
  ...aggregationStores(documentClient(), requiredEnv('TABLE_NAME')),
  publish: eventPublisher(requiredEnv('EVENT_BUS_NAME')),
};

/**
 * The whole SQS batch at once, not record by record, so that responses sharing a cell share its update. Records that
 * could not be counted (or whose survey's alerts could not be checked) are reported as batch item failures: SQS
 * retries only those, and parks them in the DLQ after five deliveries.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const parsed: { messageId: string; event: ReturnType<typeof parseEvent<typeof FeedbackCategorised>> }[] = [];
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      parsed.push({ messageId: record.messageId, event: parseEvent(FeedbackCategorised, JSON.parse(record.body)) });
    } catch (error) {
      logger.error('Unreadable FeedbackCategorised record', { error: error as Error, messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  const failed = await aggregateBatch(
    deps,
    parsed.map(({ event }) => event),
    new Date(),
  );
  for (const index of failed) batchItemFailures.push({ itemIdentifier: parsed[index]!.messageId });
  return { batchItemFailures };
}
