import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { FeedbackReceived } from '@cxloop/events';
import { logger, parseEvent } from '@cxloop/lambda-kit';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type CategoriseFeedbackDeps, categoriseFeedback } from '../use-cases/categorise-feedback';
import { type EnqueueJob, jobSchema } from '../use-cases/jobs';
import { continueRecategorisation } from '../use-cases/recategorise';
import { type TrainModelDeps, trainModel } from '../use-cases/train-model';

/**
 * Handles an SQS batch one record at a time with partial batch failures. A record is started only while more than
 * `reserveMs` (the most one record may take) of the invocation is left; the records after it are reported as failures
 * without being started, so a slow batch hands its tail back to the queue instead of timing out, which would fail the
 * records already done as well.
 */
export function inTurnWhileTimeLasts(
  reserveMs: number,
  handleRecord: (record: SQSRecord, context: Context) => Promise<void>,
) {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    let notStarted = 0;
    const processRecord = async (record: SQSRecord) => {
      if (notStarted > 0 || context.getRemainingTimeInMillis() < reserveMs) {
        notStarted++;
        throw new Error('Not started: the invocation has too little time left');
      }
      try {
        await handleRecord(record, context);
      } catch (error) {
        logger.error('Record failed', { error: error as Error, messageId: record.messageId });
        throw error;
      }
    };
    const response = await processPartialResponse(event, processRecord, processor, {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
    if (notStarted > 0) logger.warn('Records handed back to the queue unstarted', { notStarted, reserveMs });
    return response;
  };
}

/**
 * The most one FeedbackReceived record takes: categorisation is bounded (linear-time regexes on at most
 * MAX_ANALYSED_CHARS, budgeted taxonomies: well under a second) and the rest is four calls to DynamoDB and EventBridge.
 */
export const FEEDBACK_RECORD_RESERVE_MS = 3_000;

/** Categorises each FeedbackReceived event of the batch and publishes FeedbackCategorised. */
export function feedbackConsumer(deps: CategoriseFeedbackDeps) {
  return inTurnWhileTimeLasts(FEEDBACK_RECORD_RESERVE_MS, async (record) => {
    const event = parseEvent(FeedbackReceived, JSON.parse(record.body));
    logger.appendKeys({ correlationId: event.metadata.correlationId, eventId: event.metadata.eventId });
    try {
      await categoriseFeedback(deps, event);
    } finally {
      logger.removeKeys(['correlationId', 'eventId']);
    }
  });
}

/** Time kept for the page in progress and the hand-over when the worker stops re-categorising. */
export const JOB_RESERVE_MS = 60_000;

/**
 * Trains the model from corrections, and re-categorises stored feedback page by page until the invocation's time
 * runs low, handing the rest on through the queue with the index position in the message.
 */
export function jobConsumer(deps: CategoriseFeedbackDeps & TrainModelDeps, enqueue: EnqueueJob) {
  return inTurnWhileTimeLasts(JOB_RESERVE_MS, async (record, context) => {
    const job = jobSchema.parse(JSON.parse(record.body));
    if (job.kind === 'train') {
      logger.info('Correction model', { outcome: await trainModel(deps, new Date()) });
      return;
    }
    const { next, recategorised } = await continueRecategorisation(
      deps,
      job,
      () => context.getRemainingTimeInMillis() > JOB_RESERVE_MS,
    );
    logger.info('Re-categorisation progress', { correlationId: job.correlationId, recategorised, done: !next });
    if (next) await enqueue(next);
  });
}
