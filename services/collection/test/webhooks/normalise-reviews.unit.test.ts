import { describe, expect, it } from 'vitest';
import {
  normaliseAppStoreCustomerReviewsPage,
  normaliseGoogleBusinessProfileReview,
  normaliseGooglePlayReviewsPage,
  normaliseWebhook,
  WebhookPayloadError,
} from '../../src/domain/webhooks';
import { fixture, integrationId, receivedAt } from './support';

const context = { integrationId, receivedAt };

describe('normaliseWebhook(trustpilot)', () => {
  const delivery = fixture('trustpilot/service_review_created.json');
  type TrustpilotBody = { events: { eventName: string; version: string; eventData: Record<string, unknown> }[] };
  const created = (delivery.body as TrustpilotBody).events[0]!;
  const updated = (changes: Record<string, unknown>) => ({
    ...created,
    eventName: 'service-review-updated',
    eventData: { ...created.eventData, ...changes },
  });

  it('normalises a created service review', () => {
    expect(normaliseWebhook('trustpilot', { ...context, body: delivery.body, headers: {} })).toEqual({
      kind: 'feedback',
      deliveryId: expect.stringMatching(/^53bffd360000640002975387:service-review-created:1:[0-9a-f]{16}$/),
      items: [
        {
          externalKey: 'trustpilot:review:53bffd360000640002975387',
          source: 'trustpilot',
          channel: 'review_site',
          integrationId,
          kind: 'review',
          score: { value: 5, min: 1, max: 5, normalised: 1 },
          text: 'Great service\n\nNothing other than excellent customer service.',
          languageHint: 'en',
          answers: [],
          respondent: { id: '53bffc3900006400017e5db8', verified: false, emailVerified: false },
          attributes: {},
          externalIds: {
            review: '53bffd360000640002975387',
            reference: 'ABC-123-xyz',
            location: '43f51215-a1fc-4c60-b6dd-e4afb6d7b831',
          },
          links: [{ rel: 'review', url: 'https://api.trustpilot.com/v1/reviews/53bffd360000640002975387' }],
          occurredAt: '2017-05-20T09:34:44.000Z',
        },
      ],
    });
  });

  it('turns a batch into one item per review event, skipping deletions', () => {
    const other = { ...created, eventData: { ...created.eventData, id: '5f0000000000000000000001', stars: 2 } };
    const deleted = { ...created, eventName: 'service-review-deleted' };
    const body = {
      events: [created, updated({ stars: 3, updatedAt: '2017-05-21T10:00:00.000Z' }), deleted, other],
    };
    const result = normaliseWebhook('trustpilot', { ...context, body, headers: {} });
    if (result.kind !== 'feedback') throw new Error(`expected feedback, got ${result.kind}`);
    expect(result.deliveryId).toMatch(/^batch:[0-9a-f]{64}$/);
    expect(result.items.map((item) => [item.externalKey, item.score?.value, item.occurredAt])).toEqual([
      ['trustpilot:review:53bffd360000640002975387', 5, '2017-05-20T09:34:44.000Z'],
      ['trustpilot:review:53bffd360000640002975387', 3, '2017-05-21T10:00:00.000Z'],
      ['trustpilot:review:5f0000000000000000000001', 2, '2017-05-20T09:34:44.000Z'],
    ]);
  });

  it('keeps two edits of one review apart but a retried event under its own key', () => {
    const deliveryIdOf = (event: unknown) =>
      normaliseWebhook('trustpilot', { ...context, body: { events: [event] }, headers: {} }).deliveryId;
    const firstEdit = updated({ stars: 4 });
    expect(deliveryIdOf(firstEdit)).not.toBe(deliveryIdOf(updated({ stars: 3 })));
    expect(deliveryIdOf(structuredClone(firstEdit))).toBe(deliveryIdOf(firstEdit));
  });

  it('ignores a delivery that holds only deletions or unknown events', () => {
    const body = {
      events: [
        { ...created, eventName: 'service-review-deleted' },
        { ...created, eventName: 'x' },
      ],
    };
    expect(normaliseWebhook('trustpilot', { ...context, body, headers: {} })).toEqual({
      kind: 'ignored',
      reason: 'Trustpilot events service-review-deleted, x are not feedback',
    });
  });

  it('fails on a body without events', () => {
    expect(() => normaliseWebhook('trustpilot', { ...context, body: { events: [] }, headers: {} })).toThrow(
      WebhookPayloadError,
    );
  });
});

describe('normaliseWebhook(google_business_profile)', () => {
  const push = fixture('google_business_profile/pubsub_push_new_review.ASSEMBLED.json');
  const envelope = (notification: unknown) => ({
    message: { data: Buffer.from(JSON.stringify(notification)).toString('base64'), messageId: 'm-1' },
    subscription: 'projects/p/subscriptions/s',
  });

  it('asks for the review named by a NEW_REVIEW notification, de-duplicated on the Pub/Sub message id', () => {
    expect(normaliseWebhook('google_business_profile', { ...context, body: push.body, headers: {} })).toEqual({
      kind: 'fetch_required',
      deliveryId: '2070443601311540',
      resource: {
        provider: 'google_business_profile',
        notificationType: 'NEW_REVIEW',
        reviewName: 'accounts/123/locations/456/reviews/789',
        locationName: 'accounts/123/locations/456',
      },
    });
  });

  it('reads the snake_case spelling of the notification too', () => {
    const body = envelope({ notificationType: 'UPDATED_REVIEW', review_name: 'accounts/1/locations/2/reviews/3' });
    expect(normaliseWebhook('google_business_profile', { ...context, body, headers: {} })).toMatchObject({
      kind: 'fetch_required',
      deliveryId: 'm-1',
      resource: { notificationType: 'UPDATED_REVIEW', reviewName: 'accounts/1/locations/2/reviews/3' },
    });
  });

  it('ignores notifications that are not about reviews', () => {
    const body = envelope({ type: 'NEW_QUESTION', locationName: 'accounts/1/locations/2' });
    expect(normaliseWebhook('google_business_profile', { ...context, body, headers: {} })).toEqual({
      kind: 'ignored',
      deliveryId: 'm-1',
      reason: 'Business Profile notification NEW_QUESTION is not a review',
    });
  });

  it('fails on message data that is not JSON', () => {
    const body = { message: { data: Buffer.from('not json').toString('base64'), messageId: 'm-2' } };
    expect(() => normaliseWebhook('google_business_profile', { ...context, body, headers: {} })).toThrow(
      /not base64-encoded JSON/,
    );
  });
});

describe('normaliseGoogleBusinessProfileReview', () => {
  const review = fixture('google_business_profile/review_resource_shape.json').body as Record<string, unknown>;

  it('normalises a fetched review, keeping the star enum as the original', () => {
    expect(normaliseGoogleBusinessProfileReview(review, { integrationId })).toEqual({
      externalKey: 'google_business_profile:review:accounts/{accountId}/locations/{locationId}/reviews/{reviewId}',
      source: 'google_business_profile',
      channel: 'review_site',
      integrationId,
      kind: 'review',
      score: { value: 5, min: 1, max: 5, normalised: 1, original: 'FIVE' },
      text: 'string',
      answers: [],
      respondent: { verified: false, emailVerified: false },
      attributes: {},
      externalIds: {
        review: 'accounts/{accountId}/locations/{locationId}/reviews/{reviewId}',
        location: 'accounts/{accountId}/locations/{locationId}',
      },
      links: [],
      occurredAt: '2024-01-01T00:00:00.000Z',
    });
  });

  it('keeps a review without a star rating as unscored', () => {
    const unrated = normaliseGoogleBusinessProfileReview(
      { ...review, starRating: 'STAR_RATING_UNSPECIFIED' },
      { integrationId },
    );
    expect(unrated.score).toBeUndefined();
    expect(unrated.kind).toBe('review');
  });
});

describe('normaliseGooglePlayReviewsPage', () => {
  const page = fixture('google_play/reviews_list_response.json').body;

  it('normalises each review from its user comment and returns the next page token', () => {
    const { items, nextPageToken } = normaliseGooglePlayReviewsPage(page, { integrationId });
    expect(nextPageToken).toBe('12334566');
    expect(items).toEqual([
      {
        externalKey: 'google_play:review:12345678',
        source: 'google_play',
        channel: 'review_site',
        integrationId,
        kind: 'review',
        score: { value: 5, min: 1, max: 5, normalised: 1 },
        text: 'This is the best app ever!',
        answers: [],
        respondent: { verified: false, emailVerified: false },
        attributes: {},
        externalIds: { review: '12345678' },
        links: [],
        occurredAt: '2015-10-01T05:20:26.713Z',
      },
      {
        externalKey: 'google_play:review:11223344',
        source: 'google_play',
        channel: 'review_site',
        integrationId,
        kind: 'review',
        score: { value: 5, min: 1, max: 5, normalised: 1 },
        text: 'I love using this app!',
        languageHint: 'en',
        answers: [],
        respondent: { verified: false, emailVerified: false },
        attributes: { appVersion: '1.2.3', device: 'trltecan', androidOsVersion: 21 },
        externalIds: { review: '11223344' },
        links: [],
        occurredAt: '1974-06-27T16:22:14.213Z',
      },
    ]);
  });

  it('fails on a review that has only the developer reply', () => {
    const replyOnly = { reviews: [{ reviewId: '1', comments: [{ developerComment: { text: 'Thanks' } }] }] };
    expect(() => normaliseGooglePlayReviewsPage(replyOnly, { integrationId })).toThrow(WebhookPayloadError);
  });
});

describe('normaliseAppStoreCustomerReviewsPage', () => {
  it('normalises customer reviews, joining title and body', () => {
    const page = fixture('app_store/customer_reviews_list_response.json').body;
    expect(normaliseAppStoreCustomerReviewsPage(page, { integrationId })).toEqual({
      items: [
        {
          externalKey: 'app_store:review:00000028-b08c-0014-729e-fbd500000000',
          source: 'app_store',
          channel: 'review_site',
          integrationId,
          kind: 'review',
          score: { value: 5, min: 1, max: 5, normalised: 1 },
          text: "Awesome!!!\n\nIt's a really fantastic app!",
          answers: [],
          respondent: { verified: false, emailVerified: false },
          attributes: { territory: 'USA' },
          externalIds: { review: '00000028-b08c-0014-729e-fbd500000000' },
          links: [],
          occurredAt: '2017-11-15T16:10:34.000Z',
        },
      ],
    });
  });

  it('returns the cursor link of the next page', () => {
    const next = 'https://api.appstoreconnect.apple.com/v1/apps/682658836/customerReviews?cursor=Mg';
    const page = { data: [], links: { self: 'https://api.appstoreconnect.apple.com/v1/apps/1/customerReviews', next } };
    expect(normaliseAppStoreCustomerReviewsPage(page, { integrationId })).toEqual({ items: [], nextUrl: next });
  });
});
