import type { FeedbackCategorised } from '@cxloop/events';
import { logger, type ReceivedEvent } from '@cxloop/lambda-kit';
import { feedbackRecordOf } from '../domain/feedback-record';
import { type CountingDeps, countFeedback } from './count-feedback';
import { type AlertDeps, evaluateAlerts } from './evaluate-alerts';

export type AggregationDeps = CountingDeps & AlertDeps;

/**
 * Counts a batch of FeedbackCategorised events, then checks the alert rules of every survey whose figures changed.
 * Returns how many were counted now (not those already counted: redeliveries) and the indexes of the events to
 * retry: those not counted, and those of a survey whose alerts could not be checked (counting them again changes
 * nothing, and the retry checks the alerts again).
 */
export async function aggregateBatch(
  deps: AggregationDeps,
  events: readonly ReceivedEvent<typeof FeedbackCategorised>[],
  now: Date,
): Promise<{ counted: number; retry: number[] }> {
  const records = events.map((event) =>
    feedbackRecordOf(event.data.feedback, event.data.categorisation, event.metadata.occurredAt),
  );
  const { outcomes, changedSurveys } = await countFeedback(deps, records);
  const failed = new Set<number>();
  outcomes.forEach((outcome, index) => {
    if (!(outcome instanceof Error)) return;
    logger.error('Feedback not counted', { error: outcome, feedbackId: records[index]!.feedbackId });
    failed.add(index);
  });
  for (const surveyId of changedSurveys) {
    const indexes = records.flatMap((record, index) => (record.surveyId === surveyId ? [index] : []));
    const cause = events[indexes.at(-1)!]!.metadata;
    try {
      await evaluateAlerts(deps, surveyId, now, { correlationId: cause.correlationId, causationId: cause.eventId });
    } catch (error) {
      logger.error('Alert rules not checked', { error: error as Error, surveyId });
      for (const index of indexes) failed.add(index);
    }
  }
  const counted = outcomes.filter((outcome) => outcome === 'counted').length;
  logger.info('Batch aggregated', {
    records: records.length,
    counted,
    ignored: outcomes.filter((outcome) => outcome === 'ignored').length,
    failed: failed.size,
  });
  return { counted, retry: [...failed] };
}
