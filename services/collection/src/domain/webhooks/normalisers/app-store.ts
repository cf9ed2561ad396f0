import * as z from 'zod';
import {
  cleanText,
  finishFeedback,
  isoFromDateString,
  type NormalisedFeedback,
  parsePayload,
  scoreOnScale,
} from '../feedback';

const customerReviewSchema = z.object({
  type: z.literal('customerReviews'),
  id: z.string().min(1),
  attributes: z.object({
    rating: z.number().int().min(1).max(5),
    title: z.string().nullish(),
    body: z.string().nullish(),
    createdDate: z.string(),
    territory: z.string().nullish(),
  }),
});

const customerReviewsPageSchema = z.object({
  data: z.array(z.unknown()),
  links: z.object({ next: z.url().optional() }).optional(),
});

/** Normalises one resource of `GET /v1/apps/{id}/customerReviews`; the nickname is not kept. */
export function normaliseAppStoreCustomerReview(
  review: unknown,
  context: { integrationId: string },
): NormalisedFeedback {
  const { id, attributes } = parsePayload(customerReviewSchema, review, 'App Store customer review');
  return finishFeedback({
    externalKey: `app_store:review:${id}`,
    source: 'app_store',
    channel: 'review_site',
    integrationId: context.integrationId,
    kind: 'review',
    score: scoreOnScale(attributes.rating, { min: 1, max: 5 }),
    text: cleanText([cleanText(attributes.title), cleanText(attributes.body)].filter(Boolean).join('\n\n')),
    attributes: attributes.territory ? { territory: attributes.territory } : {},
    externalIds: { review: id },
    occurredAt: isoFromDateString(attributes.createdDate, 'createdDate'),
  });
}

export function normaliseAppStoreCustomerReviewsPage(
  page: unknown,
  context: { integrationId: string },
): { items: NormalisedFeedback[]; nextUrl?: string } {
  const parsed = parsePayload(customerReviewsPageSchema, page, 'App Store customer reviews page');
  const nextUrl = parsed.links?.next;
  return {
    items: parsed.data.map((review) => normaliseAppStoreCustomerReview(review, context)),
    ...(nextUrl ? { nextUrl } : {}),
  };
}
