import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { documentClient, logger, requiredEnv } from '@cxloop/lambda-kit';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { aggregationStores } from '../store';
import { continueRebuild } from '../use-cases/rebuild';

const stores = aggregationStores(documentClient(), requiredEnv('TABLE_NAME'));
const rebuildQueueUrl = requiredEnv('REBUILD_QUEUE_URL');
const sqs = new SQSClient({});

const messageSchema = z.object({ surveyId: z.string().min(1) });

/** Time kept for the page in progress and the hand-over when the worker stops scanning. */
const SAFETY_MARGIN_MS = 60_000;

/**
 * Scans a survey's feedback for a rebuild until the invocation's time runs low, then hands the rest to the next
 * invocation through the queue. The job item holds the scan's position, so the message only names the survey.
 */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const { surveyId } = messageSchema.parse(JSON.parse(record.body));
      const { job, more } = await continueRebuild(
        stores,
        surveyId,
        () => context.getRemainingTimeInMillis() > SAFETY_MARGIN_MS,
      );
      logger.info('Rebuild progress', { surveyId, status: job?.status, processed: job?.processed, total: job?.total });
      if (more) {
        await sqs.send(
          new SendMessageCommand({ QueueUrl: rebuildQueueUrl, MessageBody: JSON.stringify({ surveyId }) }),
        );
      }
    } catch (error) {
      logger.error('Rebuild step failed', { error: error as Error, messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
