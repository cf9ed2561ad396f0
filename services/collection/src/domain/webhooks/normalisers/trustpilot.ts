import { createHash } from 'node:crypto';
import * as z from 'zod';
import {
  cleanText,
  finishFeedback,
  isoFromDateString,
  localeHint,
  type NormaliseContext,
  type NormalisedFeedback,
  parsePayload,
  respondentId,
  scoreOnScale,
  type WebhookNormalisation,
} from '../feedback';

const reviewEvents = new Set(['service-review-created', 'service-review-updated']);

const deliverySchema = z.object({
  events: z
    .array(z.object({ eventName: z.string().min(1), version: z.string().min(1), eventData: z.unknown() }))
    .min(1),
});

const serviceReviewSchema = z.object({
  id: z.string().min(1),
  language: z.string().nullish(),
  title: z.string().nullish(),
  text: z.string().nullish(),
  referenceId: z.string().nullish(),
  stars: z.number().int().min(1).max(5).nullish(),
  createdAt: z.string(),
  updatedAt: z.string().nullish(),
  locationId: z.string().nullish(),
  link: z.url().nullish(),
  consumer: z.object({ id: z.string().nullish() }).nullish(),
});

type TrustpilotEvent = z.infer<typeof deliverySchema>['events'][number];

/**
 * `version` is the payload schema version, not the review's, so two edits of one review share id, name and version;
 * a digest of the event data tells them apart while a retry of the same event keeps its key.
 */
function eventKey(event: TrustpilotEvent, reviewId: string): string {
  const digest = createHash('sha256').update(JSON.stringify(event.eventData)).digest('hex').slice(0, 16);
  return `${reviewId}:${event.eventName}:${event.version}:${digest}`;
}

function reviewFeedback(event: TrustpilotEvent, context: NormaliseContext): { key: string; item: NormalisedFeedback } {
  const review = parsePayload(serviceReviewSchema, event.eventData, `Trustpilot ${event.eventName} event`);
  const title = cleanText(review.title);
  const body = cleanText(review.text);
  const consumerId = respondentId(review.consumer?.id);
  const language = localeHint(review.language);
  const externalIds: Record<string, string> = { review: review.id };
  if (review.referenceId) externalIds.reference = review.referenceId;
  if (review.locationId) externalIds.location = review.locationId;
  const item = finishFeedback({
    externalKey: `trustpilot:review:${review.id}`,
    source: 'trustpilot',
    channel: 'review_site',
    integrationId: context.integrationId,
    kind: 'review',
    score: review.stars ? scoreOnScale(review.stars, { min: 1, max: 5 }) : undefined,
    text: cleanText([title, body].filter(Boolean).join('\n\n')),
    languageHint: language,
    // The delivery is authenticated by a URL token only, so the consumer id is not proven.
    respondent: { ...(consumerId ? { id: consumerId } : {}), verified: false },
    externalIds,
    links: review.link ? [{ rel: 'review', url: review.link }] : [],
    occurredAt: isoFromDateString(review.updatedAt ?? review.createdAt, 'updatedAt'),
  });
  return { key: eventKey(event, review.id), item };
}

/** One POST may batch several events; deletions and product-review events are skipped. */
export function normaliseTrustpilot(body: unknown, context: NormaliseContext): WebhookNormalisation {
  const { events } = parsePayload(deliverySchema, body, 'Trustpilot delivery');
  const reviews = events.filter((event) => reviewEvents.has(event.eventName)).map((e) => reviewFeedback(e, context));
  if (reviews.length === 0) {
    const names = [...new Set(events.map((event) => event.eventName))].join(', ');
    return { kind: 'ignored', reason: `Trustpilot events ${names} are not feedback` };
  }
  const keys = reviews.map((review) => review.key);
  const deliveryId =
    keys.length === 1
      ? (keys[0] as string)
      : `batch:${createHash('sha256').update(keys.sort().join('\n')).digest('hex')}`;
  return { kind: 'feedback', deliveryId, items: reviews.map((review) => review.item) };
}
