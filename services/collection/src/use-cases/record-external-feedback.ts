import { type Causation, FeedbackReceived, type RetentionPolicy } from '@cxloop/events';
import type { PublishEvents } from '@cxloop/lambda-kit';
import { ulid } from 'ulid';
import { feedbackEndOfLife } from '../domain/retention';
import type { NormalisedFeedback } from '../domain/webhooks';
import type { ExternalFeedbackStore, RecordedExternalFeedback } from '../store/external-feedback';

export interface RecordExternalFeedbackDeps {
  feedback: ExternalFeedbackStore;
  publish: PublishEvents;
  /** The retention policy in force, which gives each new revision its end of life. */
  retentionPolicy: () => Promise<RetentionPolicy>;
}

export interface RecordedItem {
  externalKey: string;
  feedbackId: string;
  revision: number;
  outcome: RecordedExternalFeedback['outcome'];
}

/**
 * Stores each provider item as one feedback (by its externalKey) and publishes FeedbackReceived for every revision
 * not yet published, also one that an earlier attempt stored but crashed before publishing: the provider's retry (or
 * the next poll) repairs it.
 */
export async function recordExternalFeedback(
  deps: RecordExternalFeedbackDeps,
  integrationId: string,
  items: readonly NormalisedFeedback[],
  causation: Causation,
  now: Date,
): Promise<RecordedItem[]> {
  const recorded: RecordedItem[] = [];
  const endOfLife = feedbackEndOfLife(await deps.retentionPolicy(), now);
  for (const item of items) {
    const { record, outcome, publishedRevision } = await deps.feedback.record(
      integrationId,
      item,
      () => `fb_${ulid()}`,
      now,
      endOfLife,
    );
    if (publishedRevision < record.revision) {
      await deps.publish([{ contract: FeedbackReceived, data: record.feedback, causation }]);
      await deps.feedback.markPublished(integrationId, item.externalKey, record.revision);
    }
    recorded.push({ externalKey: item.externalKey, feedbackId: record.feedbackId, revision: record.revision, outcome });
  }
  return recorded;
}
