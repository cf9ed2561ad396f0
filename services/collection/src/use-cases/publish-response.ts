import { type Causation, type Feedback, FeedbackReceived } from '@cxloop/events';
import type { PublishEvents } from '@cxloop/lambda-kit';
import { feedbackFromResponse, type StoredResponse } from '../domain/responses';
import type { Survey } from '../domain/surveys';
import type { ResponseStore } from '../store/responses';

/**
 * Publishes FeedbackReceived for stored revisions of responses (one PutEvents per ten), then records each as published.
 * A crash in between leaves `publishedRevision` behind, so the next attempt (a retried post, a re-run import)
 * publishes it again; consumers apply each (feedbackId, revision) once, so a second publish is harmless.
 */
export async function publishResponses(
  deps: { publish: PublishEvents; responses: Pick<ResponseStore, 'markPublished'> },
  survey: Survey,
  revisions: readonly { response: StoredResponse; retainUntil: Feedback['retainUntil'] }[],
  causation: Causation,
  now: Date,
): Promise<void> {
  if (revisions.length === 0) return;
  await deps.publish(
    revisions.map(({ response, retainUntil }) => ({
      contract: FeedbackReceived,
      data: { ...feedbackFromResponse(survey, response, now), retainUntil },
      causation,
    })),
  );
  await Promise.all(
    revisions.map(({ response }) => deps.responses.markPublished(survey.id, response.responseId, response.revision)),
  );
}
