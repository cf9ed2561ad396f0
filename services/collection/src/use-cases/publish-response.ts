import { type Causation, type Feedback, FeedbackReceived } from '@cxloop/events';
import type { PublishEvents } from '@cxloop/lambda-kit';
import { feedbackFromResponse, type StoredResponse } from '../domain/responses';
import type { Survey } from '../domain/surveys';
import type { ResponseStore } from '../store/responses';

/**
 * Publishes FeedbackReceived for a stored revision of a response, then records it as published. A crash in between
 * leaves `publishedRevision` behind, so the next attempt (a retried post, a re-run import) publishes it again;
 * consumers apply each (feedbackId, revision) once, so a second publish is harmless.
 */
export async function publishResponse(
  deps: { publish: PublishEvents; responses: Pick<ResponseStore, 'markPublished'> },
  survey: Survey,
  response: StoredResponse,
  retainUntil: Feedback['retainUntil'],
  causation: Causation,
  now: Date,
): Promise<void> {
  const feedback = { ...feedbackFromResponse(survey, response, now), retainUntil };
  await deps.publish([{ contract: FeedbackReceived, data: feedback, causation }]);
  await deps.responses.markPublished(survey.id, response.responseId, response.revision);
}
