import * as z from 'zod';
import {
  cleanText,
  finishFeedback,
  isoFromEpochSeconds,
  localeHint,
  type NormalisedFeedback,
  parsePayload,
  scalarAttributes,
  scoreOnScale,
  WebhookPayloadError,
} from '../feedback';

const userCommentSchema = z.object({
  text: z.string().optional(),
  lastModified: z.object({ seconds: z.coerce.number().int(), nanos: z.number().int().optional() }),
  starRating: z.number().int().min(1).max(5).optional(),
  reviewerLanguage: z.string().optional(),
  device: z.string().optional(),
  androidOsVersion: z.number().optional(),
  appVersionName: z.string().optional(),
});

const reviewSchema = z.object({
  reviewId: z.string().min(1),
  comments: z.array(z.object({ userComment: userCommentSchema.optional() })).min(1),
});

const reviewsPageSchema = z.object({
  reviews: z.array(z.unknown()).default([]),
  tokenPagination: z.object({ nextPageToken: z.string().optional() }).optional(),
});

/** Normalises one item of `androidpublisher/v3/applications/{package}/reviews`; the developer's reply is not feedback. */
export function normaliseGooglePlayReview(review: unknown, context: { integrationId: string }): NormalisedFeedback {
  const parsed = parsePayload(reviewSchema, review, 'Google Play review');
  const comment = parsed.comments.find((entry) => entry.userComment)?.userComment;
  if (!comment) throw new WebhookPayloadError('Google Play review has no user comment');
  const language = localeHint(comment.reviewerLanguage);
  return finishFeedback({
    externalKey: `google_play:review:${parsed.reviewId}`,
    source: 'google_play',
    channel: 'review_site',
    integrationId: context.integrationId,
    kind: 'review',
    score: comment.starRating ? scoreOnScale(comment.starRating, { min: 1, max: 5 }) : undefined,
    text: cleanText(comment.text),
    languageHint: language,
    attributes: scalarAttributes({
      appVersion: comment.appVersionName,
      device: comment.device,
      androidOsVersion: comment.androidOsVersion,
    }),
    externalIds: { review: parsed.reviewId },
    occurredAt: isoFromEpochSeconds(comment.lastModified.seconds, comment.lastModified.nanos),
  });
}

export function normaliseGooglePlayReviewsPage(
  page: unknown,
  context: { integrationId: string },
): { items: NormalisedFeedback[]; nextPageToken?: string } {
  const parsed = parsePayload(reviewsPageSchema, page, 'Google Play reviews page');
  const nextPageToken = parsed.tokenPagination?.nextPageToken;
  return {
    items: parsed.reviews.map((review) => normaliseGooglePlayReview(review, context)),
    ...(nextPageToken ? { nextPageToken } : {}),
  };
}
