import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { documentClient, logger, sqsJobConsumer } from '@cxloop/lambda-kit';
import * as z from 'zod';
import { rebuildWorkerEnvironment } from '../environment';
import { aggregationStores } from '../store';
import { continueRebuild } from '../use-cases/rebuild';

const env = rebuildWorkerEnvironment.read();
const stores = aggregationStores(documentClient(), env.TABLE_NAME);
const rebuildQueueUrl = env.REBUILD_QUEUE_URL;
const sqs = new SQSClient({});

const messageSchema = z.object({ surveyId: z.string().min(1) });

/** Time kept for the page in progress and the hand-over when the worker stops scanning. */
const SAFETY_MARGIN_MS = 60_000;

/**
 * Scans a survey's feedback for a rebuild until the invocation's time runs low, then hands the rest to the next
 * invocation through the queue. The job item holds the scan's position, so the message only names the survey.
 */
export const handler = sqsJobConsumer(
  messageSchema,
  async ({ surveyId }, { hasTime }) => {
    const { job, more } = await continueRebuild(stores, surveyId, hasTime);
    logger.info('Rebuild progress', { surveyId, status: job?.status, processed: job?.processed, total: job?.total });
    if (more) {
      await sqs.send(new SendMessageCommand({ QueueUrl: rebuildQueueUrl, MessageBody: JSON.stringify({ surveyId }) }));
    }
  },
  { reserveMs: SAFETY_MARGIN_MS },
);
