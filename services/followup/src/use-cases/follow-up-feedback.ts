import { CaseOpened, type EventData, type FeedbackCategorised } from '@cxloop/events';
import type { PublishEvents, ReceivedEvent } from '@cxloop/lambda-kit';
import { caseFor } from '../domain/cases';
import type { CaseStore } from '../store/cases';

export interface FollowUpDeps {
  cases: CaseStore;
  publish: PublishEvents;
}

/**
 * Opens a case when categorised feedback calls for one. Idempotent: the case id is derived from the feedback, so a
 * duplicate delivery finds the case already there, and CaseOpened is published until the case records that it was
 * (a crash between the two publishes it on the retry; consumers de-duplicate on caseId).
 */
export async function followUpFeedback(
  deps: FollowUpDeps,
  event: ReceivedEvent<typeof FeedbackCategorised>,
  now: Date,
): Promise<void> {
  const { feedback, categorisation }: EventData<typeof FeedbackCategorised> = event.data;
  const candidate = caseFor(feedback, categorisation, now);
  if (!candidate) return;
  await deps.cases.open(candidate);
  const stored = await deps.cases.getWithAnnouncement(candidate.caseId);
  if (!stored || stored.announced) return;
  const { followUpCase } = stored;
  await deps.publish([
    {
      contract: CaseOpened,
      data: {
        caseId: followUpCase.caseId,
        feedbackId: followUpCase.feedbackId,
        ...(followUpCase.surveyId ? { surveyId: followUpCase.surveyId } : {}),
        reason: followUpCase.reason,
        priority: followUpCase.priority,
        dueAt: followUpCase.dueAt,
        openedAt: followUpCase.openedAt,
      },
      causation: { correlationId: event.metadata.correlationId, causationId: event.metadata.eventId },
    },
  ]);
  await deps.cases.markAnnounced(followUpCase.caseId);
}
