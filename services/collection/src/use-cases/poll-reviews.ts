import type { Causation } from '@cxloop/events';
import type { Integration, PullProvider } from '../domain/integrations';
import type { SecretBox } from '../domain/secret-box';
import type { NormalisedFeedback } from '../domain/webhooks';
import { type IntegrationStore, integrationSecretContext, type PollState } from '../store/integrations';
import { type RecordExternalFeedbackDeps, type RecordedItem, recordExternalFeedback } from './record-external-feedback';

export interface ReviewPage {
  items: NormalisedFeedback[];
  /** Opaque: the provider's page token or next-page URL. */
  next?: string;
}

/** Fetches one page of an integration's reviews, newest first (both Google Play and the App Store list them so). */
export type ReviewSource = (request: {
  integration: Integration;
  credentials: string;
  next?: string;
  now: Date;
}) => Promise<ReviewPage>;

export interface PollReviewsDeps extends RecordExternalFeedbackDeps {
  integrations: Pick<IntegrationStore, 'listPolls' | 'getWithSecrets' | 'savePoll'>;
  secretBox: () => Promise<SecretBox>;
  sources: Record<PullProvider, ReviewSource>;
}

/** Bounds one integration's share of a poll; what is left is fetched by the next poll. */
export const MAX_PAGES_PER_POLL = 10;

export type PollOutcome =
  | { integrationId: string; status: 'polled'; items: RecordedItem[]; cursor?: string }
  | { integrationId: string; status: 'skipped'; reason: string }
  | { integrationId: string; status: 'failed'; error: string };

function later(a: string | undefined, b: string): string {
  return a === undefined || Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * Fetches one pull integration's reviews, newest first, until the pages run out, reach reviews older than the cursor,
 * or hit MAX_PAGES_PER_POLL (the first poll of a large app imports its newest pages only); the cursor then moves to
 * the newest review seen. Reviews at the cursor's own time are fetched again, which records nothing new: recording is
 * idempotent by externalKey and content.
 */
export async function pollIntegration(
  deps: PollReviewsDeps,
  poll: PollState,
  causation: Causation,
  now: Date,
): Promise<PollOutcome> {
  const { integrationId } = poll;
  const found = await deps.integrations.getWithSecrets(integrationId);
  if (found?.integration.status !== 'active') {
    return { integrationId, status: 'skipped', reason: 'the integration is disabled or gone' };
  }
  const { integration, sealed } = found;
  const provider = integration.provider as PullProvider;
  if (!sealed.credentials) {
    await deps.integrations.savePoll({ ...poll, lastPolledAt: now.toISOString(), lastError: 'no credentials set' });
    return { integrationId, status: 'skipped', reason: 'no credentials set' };
  }
  try {
    const box = await deps.secretBox();
    const credentials = box.open(sealed.credentials, integrationSecretContext(integrationId, 'credentials'));
    const source = deps.sources[provider];
    const items: RecordedItem[] = [];
    let newest = poll.cursor;
    const since = poll.cursor === undefined ? undefined : Date.parse(poll.cursor);
    let next: string | undefined;
    for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
      const fetched = await source({ integration, credentials, ...(next ? { next } : {}), now });
      const fresh = fetched.items.filter((item) => since === undefined || Date.parse(item.occurredAt) >= since);
      items.push(...(await recordExternalFeedback(deps, integrationId, fresh, causation, now)));
      for (const item of fresh) newest = later(newest, item.occurredAt);
      next = fetched.next;
      if (!next || fresh.length < fetched.items.length) break;
    }
    await deps.integrations.savePoll({
      integrationId,
      provider: poll.provider,
      ...(newest ? { cursor: newest } : {}),
      lastPolledAt: now.toISOString(),
    });
    return { integrationId, status: 'polled', items, ...(newest ? { cursor: newest } : {}) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.integrations.savePoll({ ...poll, lastPolledAt: now.toISOString(), lastError: message });
    return { integrationId, status: 'failed', error: message };
  }
}

/** One scheduled poll of every pull integration, one after another; one failing provider does not stop the rest. */
export async function pollReviews(deps: PollReviewsDeps, causation: Causation, now: Date): Promise<PollOutcome[]> {
  const outcomes: PollOutcome[] = [];
  for (const poll of await deps.integrations.listPolls()) {
    outcomes.push(await pollIntegration(deps, poll, causation, now));
  }
  return outcomes;
}
