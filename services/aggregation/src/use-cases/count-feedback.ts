import type { Feedback } from '@cxloop/events';
import { isConditionFailure } from '@cxloop/lambda-kit';
import { countedScoreOf } from '../domain/cells';
import type { AggregateStore } from '../store/aggregates';

const MAX_ATTEMPTS = 5;

/**
 * Counts a revision of a piece of feedback exactly once: an older or equal revision than the one counted is
 * ignored (duplicates, late arrivals), a newer one replaces it (a changed score leaves its old cell for the new one).
 */
export async function countFeedback(store: AggregateStore, feedback: Feedback): Promise<'counted' | 'ignored'> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const state = await store.readState(feedback.feedbackId);
    if (state && state.revision >= feedback.revision) return 'ignored';
    const counted = countedScoreOf(feedback);
    try {
      await store.applyRevision(feedback.feedbackId, state, {
        revision: feedback.revision,
        ...(counted ? { counted } : {}),
      });
      return 'counted';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  throw new Error(`Feedback ${feedback.feedbackId} kept changing under concurrent deliveries`);
}
