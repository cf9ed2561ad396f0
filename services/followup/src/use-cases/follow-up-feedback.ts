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
 * duplicate delivery finds the case already there; CaseOpened is published again only if this call created it or
 * the earlier publish may not have happened (the case exists but the delivery is being retried).
 */
export async function followUpFeedback(
  deps: FollowUpDeps,
  event: ReceivedEvent<typeof FeedbackCategorised>,
  now: Date,
): Promise<void> {
  const { feedback, categorisation }: EventData<typeof FeedbackCategorised> = event.data;
  const candidate = caseFor(feedback, categorisation, now);
  if (!candidate) return;
  const created = await deps.cases.open(candidate);
  const followUpCase = created ? candidate : await deps.cases.get(candidate.caseId);
  if (!followUpCase) return;
  if (!created && followUpCase.status !== 'open') return;
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
}
