import { createHash } from 'node:crypto';
import { type Feedback, feedbackSchema } from '@cxloop/events';
import { canonicalJson } from './responses';
import type { NormalisedFeedback } from './webhooks';

/**
 * Feedback from a provider (webhook, fetch or poll) is one piece of feedback per `externalKey` within an integration:
 * the first delivery makes revision 1, a delivery with other content the next revision, the same content none.
 */
export interface ExternalFeedback {
  integrationId: string;
  externalKey: string;
  feedbackId: string;
  revision: number;
  /** Digest of the content at `revision`, without `occurredAt`: a re-delivery stamped later is the same feedback. */
  digest: string;
  occurredAt: string;
  /** The feedback at `revision`, as published (kept to publish it again after a crash). */
  feedback: Feedback;
}

export function contentDigest(item: NormalisedFeedback): string {
  const { occurredAt: _occurredAt, ...content } = item;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

export type ExternalChange =
  | { kind: 'create' }
  | { kind: 'update' }
  | { kind: 'unchanged' }
  /** Older than the stored revision (a late or replayed delivery): applying it would undo a newer change. */
  | { kind: 'stale' };

export function externalChange(
  existing: Pick<ExternalFeedback, 'digest' | 'occurredAt'> | undefined,
  item: NormalisedFeedback,
  digest: string,
): ExternalChange {
  if (!existing) return { kind: 'create' };
  if (existing.digest === digest) return { kind: 'unchanged' };
  if (Date.parse(item.occurredAt) < Date.parse(existing.occurredAt)) return { kind: 'stale' };
  return { kind: 'update' };
}

/** The FeedbackReceived data of a provider's item at a revision, with its end of life; validated against the contract. */
export function feedbackFromExternal(
  item: NormalisedFeedback,
  feedbackId: string,
  revision: number,
  receivedAt: Date,
  retainUntil: Feedback['retainUntil'],
): Feedback {
  const { externalKey: _externalKey, ...feedback } = item;
  return feedbackSchema.parse({ ...feedback, feedbackId, revision, receivedAt: receivedAt.toISOString(), retainUntil });
}
