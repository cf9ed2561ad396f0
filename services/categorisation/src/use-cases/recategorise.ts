import { randomUUID } from 'node:crypto';
import { type CategoriseFeedbackDeps, isCurrent, recategoriseStored } from './categorise-feedback';
import type { EnqueueJob, RecategoriseJob } from './jobs';

/** Results re-categorised per page of the index; the worker checks its remaining time between pages. */
const PAGE_SIZE = 25;

/** Starts re-categorising every stored feedback whose result is not from the active taxonomy and categoriser. */
export async function startRecategorisation(enqueue: EnqueueJob, correlationId = `recategorise-${randomUUID()}`) {
  await enqueue({ kind: 'recategorise', correlationId });
  return { correlationId };
}

/**
 * Goes through stored results (newest first) while `hasTime()`, re-categorising and re-publishing those that are
 * not current; returns the job to continue with, or undefined when done. A page handled twice (a redelivered
 * message) finds its results current and skips them.
 */
export async function continueRecategorisation(
  deps: CategoriseFeedbackDeps,
  job: RecategoriseJob,
  hasTime: () => boolean,
): Promise<{ next?: RecategoriseJob; recategorised: number }> {
  const causation = { correlationId: job.correlationId };
  let cursor = job.cursor;
  let recategorised = 0;
  do {
    const page = await deps.results.ids({}, PAGE_SIZE, cursor);
    for (const feedbackId of page.ids) {
      if (await recategoriseStored(deps, feedbackId, causation, isCurrent)) recategorised++;
    }
    cursor = page.next;
  } while (cursor && hasTime());
  return { ...(cursor ? { next: { ...job, cursor } } : {}), recategorised };
}
