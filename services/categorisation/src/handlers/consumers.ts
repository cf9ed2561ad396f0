import { FeedbackReceived } from '@cxloop/events';
import { BusinessMetrics, countMetric, logger, sqsEventConsumer, sqsJobConsumer } from '@cxloop/lambda-kit';
import { type CategoriseFeedbackDeps, categoriseFeedback } from '../use-cases/categorise-feedback';
import { type EnqueueJob, jobSchema } from '../use-cases/jobs';
import { continueRecategorisation } from '../use-cases/recategorise';
import { type TrainModelDeps, trainModel } from '../use-cases/train-model';

/**
 * The most one FeedbackReceived record takes: categorisation is bounded (linear-time regexes on at most
 * MAX_ANALYSED_CHARS, budgeted taxonomies: well under a second) and the rest is four calls to DynamoDB and EventBridge.
 */
export const FEEDBACK_RECORD_RESERVE_MS = 3_000;

/** Categorises each FeedbackReceived event of the batch and publishes FeedbackCategorised (a redelivery counts 0). */
export function feedbackConsumer(deps: CategoriseFeedbackDeps) {
  return sqsEventConsumer(
    FeedbackReceived,
    async (event) => {
      if ((await categoriseFeedback(deps, event)) === 'published') countMetric(BusinessMetrics.feedbackCategorised);
    },
    { reserveMs: FEEDBACK_RECORD_RESERVE_MS, metrics: [BusinessMetrics.feedbackCategorised] },
  );
}

/** Time kept for the page in progress and the hand-over when the worker stops re-categorising. */
export const JOB_RESERVE_MS = 60_000;

/**
 * Trains the model from corrections, and re-categorises stored feedback page by page until the invocation's time
 * runs low, handing the rest on through the queue with the index position in the message.
 */
export function jobConsumer(deps: CategoriseFeedbackDeps & TrainModelDeps, enqueue: EnqueueJob) {
  return sqsJobConsumer(
    jobSchema,
    async (job, { hasTime }) => {
      if (job.kind === 'train') {
        logger.info('Correction model', { outcome: await trainModel(deps, new Date()) });
        return;
      }
      const { next, recategorised } = await continueRecategorisation(deps, job, hasTime);
      logger.info('Re-categorisation progress', { recategorised, done: !next });
      if (next) await enqueue(next);
    },
    { reserveMs: JOB_RESERVE_MS },
  );
}
