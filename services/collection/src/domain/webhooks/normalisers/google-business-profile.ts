import * as z from 'zod';
import {
  cleanText,
  finishFeedback,
  isoFromDateString,
  type NormalisedFeedback,
  parsePayload,
  scoreOnScale,
  type WebhookNormalisation,
  WebhookPayloadError,
} from '../feedback';

const pushEnvelopeSchema = z.object({
  message: z.object({
    data: z.string().min(1),
    messageId: z.string().min(1),
    attributes: z.record(z.string(), z.string()).nullish(),
  }),
  subscription: z.string().optional(),
});

/** Key names of the decoded notification were not confirmed against a real message, so both spellings are read. */
const notificationSchema = z
  .object({
    type: z.string().optional(),
    notificationType: z.string().optional(),
    reviewName: z.string().min(1).optional(),
    review_name: z.string().min(1).optional(),
    locationName: z.string().min(1).optional(),
    location_name: z.string().min(1).optional(),
  })
  .transform((notification) => ({
    type: notification.type ?? notification.notificationType,
    reviewName: notification.reviewName ?? notification.review_name,
    locationName: notification.locationName ?? notification.location_name,
  }));

function decodeNotification(data: string): unknown {
  try {
    return JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    throw new WebhookPayloadError('Pub/Sub message data is not base64-encoded JSON');
  }
}

/** A review notification names the review only: its text and rating are fetched before normalising. */
export function normaliseGoogleBusinessProfilePush(body: unknown): WebhookNormalisation {
  const { message } = parsePayload(pushEnvelopeSchema, body, 'Pub/Sub push envelope');
  const deliveryId = message.messageId;
  const notification = parsePayload(
    notificationSchema,
    decodeNotification(message.data),
    'Business Profile notification',
  );
  const { type } = notification;
  if (type !== 'NEW_REVIEW' && type !== 'UPDATED_REVIEW') {
    return {
      kind: 'ignored',
      deliveryId,
      reason: `Business Profile notification ${type ?? '(untyped)'} is not a review`,
    };
  }
  if (!notification.reviewName) throw new WebhookPayloadError('review notification has no review name');
  return {
    kind: 'fetch_required',
    deliveryId,
    resource: {
      provider: 'google_business_profile',
      notificationType: type,
      reviewName: notification.reviewName,
      ...(notification.locationName ? { locationName: notification.locationName } : {}),
    },
  };
}

const starValues = { ONE: 1, TWO: 2, THREE: 3, FOUR: 4, FIVE: 5 } as const;

const reviewSchema = z.object({
  name: z.string().min(1),
  reviewId: z.string().optional(),
  starRating: z.enum(['STAR_RATING_UNSPECIFIED', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE']).optional(),
  comment: z.string().nullish(),
  createTime: z.string(),
  updateTime: z.string().nullish(),
});

/** Normalises a review resource fetched with `accounts.locations.reviews.get` (or listed). */
export function normaliseGoogleBusinessProfileReview(
  review: unknown,
  context: { integrationId: string },
): NormalisedFeedback {
  const parsed = parsePayload(reviewSchema, review, 'Business Profile review');
  const stars = parsed.starRating && parsed.starRating !== 'STAR_RATING_UNSPECIFIED' ? parsed.starRating : undefined;
  const location = parsed.name.match(/^(accounts\/[^/]+\/locations\/[^/]+)\//)?.[1];
  return finishFeedback({
    externalKey: `google_business_profile:review:${parsed.name}`,
    source: 'google_business_profile',
    channel: 'review_site',
    integrationId: context.integrationId,
    kind: 'review',
    score: stars ? scoreOnScale(starValues[stars], { min: 1, max: 5 }, stars) : undefined,
    text: cleanText(parsed.comment),
    externalIds: { review: parsed.name, ...(location ? { location } : {}) },
    occurredAt: isoFromDateString(parsed.updateTime ?? parsed.createTime, 'updateTime'),
  });
}
