import { type Categorisation, type Feedback, FeedbackCategorised, type FeedbackReceived } from '@cxloop/events';
import type { PublishEvents, ReceivedEvent } from '@cxloop/lambda-kit';
import type { ResultStore } from '../store/results';

export interface CategoriseFeedbackDeps {
  results: ResultStore;
  publish: PublishEvents;
  categorise: (feedback: Feedback) => Categorisation;
}

/**
 * Categorises one revision of a piece of feedback and publishes FeedbackCategorised. Revisions already published, or
 * older than the stored one, are ignored; a crash before `markPublished` re-publishes on the retry, which consumers
 * absorb because they apply each (feedbackId, revision) once.
 */
export async function categoriseFeedback(
  deps: CategoriseFeedbackDeps,
  event: ReceivedEvent<typeof FeedbackReceived>,
): Promise<'published' | 'ignored'> {
  const feedback = event.data;
  const stored = await deps.results.get(feedback.feedbackId);
  if (stored && (stored.publishedRevision >= feedback.revision || stored.revision > feedback.revision))
    return 'ignored';

  const categorisation = deps.categorise(feedback);
  const saved = await deps.results.save(feedback, categorisation, stored?.publishedRevision ?? 0);
  if (!saved) return 'ignored';
  await deps.publish([
    {
      contract: FeedbackCategorised,
      data: { feedback, categorisation },
      causation: { correlationId: event.metadata.correlationId, causationId: event.metadata.eventId },
    },
  ]);
  await deps.results.markPublished(feedback.feedbackId, feedback.revision);
  return 'published';
}
