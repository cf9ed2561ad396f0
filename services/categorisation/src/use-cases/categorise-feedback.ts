import {
  type Categorisation,
  type Causation,
  type Feedback,
  FeedbackCategorised,
  type FeedbackReceived,
} from '@cxloop/events';
import type { PublishEvents, ReceivedEvent } from '@cxloop/lambda-kit';
import { CATEGORISER_VERSION } from '../index';
import type { CorrectionStore } from '../store/corrections';
import type { ResultStore, StoredCategorisation } from '../store/results';
import type { Categoriser } from './active-categoriser';

export interface CategoriseFeedbackDeps {
  results: ResultStore;
  corrections: CorrectionStore;
  publish: PublishEvents;
  /** The active categoriser (taxonomy and model). */
  categoriser: () => Promise<Categoriser>;
}

/** Writes conditional on the state read are retried this often when another writer got there first. */
const MAX_ATTEMPTS = 3;

export class ConcurrentChangeError extends Error {
  constructor(feedbackId: string) {
    super(`The categorisation of ${feedbackId} kept changing while it was being written`);
    this.name = 'ConcurrentChangeError';
  }
}

/** Stores a categorisation of the feedback, publishes FeedbackCategorised, and marks that result published. */
async function storeAndPublish(
  deps: CategoriseFeedbackDeps,
  previous: StoredCategorisation | undefined,
  feedback: Feedback,
  categorisation: Categorisation,
  causation: Causation,
): Promise<StoredCategorisation | undefined> {
  const seq = await deps.results.write(previous, { feedback, categorisation });
  if (seq === undefined) return undefined;
  await deps.publish([{ contract: FeedbackCategorised, data: { feedback, categorisation }, causation }]);
  await deps.results.markPublished(feedback.feedbackId, seq, feedback.revision);
  return {
    feedback,
    categorisation,
    revision: feedback.revision,
    publishedRevision: feedback.revision,
    published: true,
    seq: seq + 1,
  };
}

/**
 * Categorises one revision of a piece of feedback and publishes FeedbackCategorised. Revisions already published, or
 * older than the stored one, are ignored; a crash before the result is marked published re-publishes on the retry,
 * which consumers absorb because they apply each (feedbackId, revision) once.
 */
export async function categoriseFeedback(
  deps: CategoriseFeedbackDeps,
  event: ReceivedEvent<typeof FeedbackReceived>,
): Promise<'published' | 'ignored'> {
  const feedback = event.data;
  const causation = { correlationId: event.metadata.correlationId, causationId: event.metadata.eventId };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [stored, correction, categoriser] = await Promise.all([
      deps.results.get(feedback.feedbackId),
      deps.corrections.get(feedback.feedbackId),
      deps.categoriser(),
    ]);
    if (stored && (stored.publishedRevision >= feedback.revision || stored.revision > feedback.revision)) {
      return 'ignored';
    }
    const categorisation = categoriser.categorise(feedback, correction);
    if (await storeAndPublish(deps, stored, feedback, categorisation, causation)) return 'published';
  }
  throw new ConcurrentChangeError(feedback.feedbackId);
}

/** Whether a stored result is what the categoriser would give now, apart from its model (which carries no version). */
export function isCurrent(stored: StoredCategorisation, categoriser: Categoriser): boolean {
  return (
    stored.published &&
    stored.categorisation.taxonomyVersion === categoriser.taxonomy.version &&
    stored.categorisation.categoriserVersion === CATEGORISER_VERSION
  );
}

/**
 * Categorises the stored revision of a feedback again (after its correction, or a taxonomy change) and publishes the
 * result: a new categorisation of the same revision, later than the one before. Undefined when nothing is stored,
 * or when `skip` says the stored result is fine as it is.
 */
export async function recategoriseStored(
  deps: CategoriseFeedbackDeps,
  feedbackId: string,
  causation: Causation,
  skip: (stored: StoredCategorisation, categoriser: Categoriser) => boolean = () => false,
): Promise<StoredCategorisation | undefined> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [stored, correction, categoriser] = await Promise.all([
      deps.results.get(feedbackId),
      deps.corrections.get(feedbackId),
      deps.categoriser(),
    ]);
    if (!stored || skip(stored, categoriser)) return undefined;
    const categorisation = categoriser.categorise(stored.feedback, correction);
    const written = await storeAndPublish(deps, stored, stored.feedback, categorisation, causation);
    if (written) return written;
  }
  throw new ConcurrentChangeError(feedbackId);
}
