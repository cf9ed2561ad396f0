import { logger, requiredEnv } from '@cxloop/lambda-kit';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { warmCategoriser } from '../use-cases/active-categoriser';
import { jobSchema } from '../use-cases/jobs';
import { continueRecategorisation } from '../use-cases/recategorise';
import { trainModel } from '../use-cases/train-model';
import { jobQueue, serviceDeps } from './deps';

const deps = serviceDeps();
const enqueue = jobQueue(requiredEnv('JOB_QUEUE_URL'));
warmCategoriser();

/** Time kept for the page in progress and the hand-over when the worker stops re-categorising. */
const SAFETY_MARGIN_MS = 60_000;

/**
 * Trains the model from corrections, and re-categorises stored feedback page by page until the invocation's time
 * runs low, handing the rest on through the queue with the index position in the message.
 */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const job = jobSchema.parse(JSON.parse(record.body));
      if (job.kind === 'train') {
        logger.info('Correction model', { outcome: await trainModel(deps, new Date()) });
      } else {
        const { next, recategorised } = await continueRecategorisation(
          deps,
          job,
          () => context.getRemainingTimeInMillis() > SAFETY_MARGIN_MS,
        );
        logger.info('Re-categorisation progress', { correlationId: job.correlationId, recategorised, done: !next });
        if (next) await enqueue(next);
      }
    } catch (error) {
      logger.error('Job failed', { error: error as Error, messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
