import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIntegrationSchema } from '../src/domain/integrations';
import { appStoreReviews } from '../src/providers/app-store';
import { googlePlayReviews } from '../src/providers/google';
import { createIntegration, updateIntegration } from '../src/use-cases/manage-integrations';
import { type PollReviewsDeps, pollReviews } from '../src/use-cases/poll-reviews';
import {
  decodeJwt,
  googleTokenEndpoint,
  jwtSignatureValid,
  type RecordedRequest,
  startProviderServer,
  testAppStoreKey,
  testServiceAccount,
} from './support/provider-server';
import { type CollectionTestbed, collectionTestbed } from './support/testbed';
import { fixture } from './webhooks/support';

const now = new Date('2026-11-20T10:00:00Z');
const causation = { correlationId: 'poll-test' };
const google = testServiceAccount();
const apple = testAppStoreKey();
const playPage1 = fixture('google_play/reviews_list_response.json').body as { reviews: unknown[] };
const playPage2 = {
  reviews: [
    {
      reviewId: '99990001',
      comments: [{ userComment: { text: 'Crashes on start', lastModified: { seconds: '141000000' }, starRating: 1 } }],
    },
  ],
};
const appStoreFixture = fixture('app_store/customer_reviews_list_response.json').body as {
  data: { id: string; attributes: Record<string, unknown> }[];
};
const appStoreReview = (id: string, createdDate: string, rating: number) => ({
  ...appStoreFixture.data[0],
  id,
  attributes: { ...appStoreFixture.data[0]?.attributes, createdDate, rating },
});

describe('pollReviews against DynamoDB Local and recorded provider APIs', () => {
  let bed: CollectionTestbed;
  let deps: PollReviewsDeps;
  let server: Awaited<ReturnType<typeof startProviderServer>>;
  let appStorePages: Record<string, unknown>;
  let failPlay: boolean;

  const playRequests = () => server.requests.filter((request) => request.path.includes('/reviews'));
  const appStoreRequests = () => server.requests.filter((request) => request.path.includes('/customerReviews'));

  beforeAll(async () => {
    server = await startProviderServer([
      googleTokenEndpoint(google.publicKey, 'play-access-token'),
      (request: RecordedRequest) => {
        if (request.path !== '/androidpublisher/v3/applications/com.example.shop/reviews') return undefined;
        if (request.headers.authorization !== 'Bearer play-access-token') return { status: 401, body: {} };
        if (failPlay) return { status: 503, body: { error: 'unavailable' } };
        return { body: request.query.get('token') === '12334566' ? playPage2 : playPage1 };
      },
      (request: RecordedRequest) => {
        if (request.path !== '/v1/apps/682658836/customerReviews') return undefined;
        const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
        if (!jwtSignatureValid(token, apple.publicKey)) return { status: 401, body: {} };
        return { body: appStorePages[request.query.get('cursor') ?? 'first'] };
      },
    ]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  beforeEach(async () => {
    bed = await collectionTestbed();
    failPlay = false;
    server.requests.length = 0;
    appStorePages = {
      first: {
        data: [appStoreReview('r-3', '2026-11-19T08:00:00Z', 2), appStoreReview('r-2', '2026-11-18T08:00:00Z', 5)],
        links: { next: `${server.url}/v1/apps/682658836/customerReviews?cursor=second` },
      },
      second: { data: [appStoreReview('r-1', '2026-11-01T08:00:00Z', 4)], links: {} },
    };
    deps = {
      ...bed,
      sources: {
        google_play: googlePlayReviews({ tokenUrl: `${server.url}/token`, playApiUrl: server.url }),
        app_store: appStoreReviews(server.url),
      },
    };
  });

  async function playIntegration() {
    return createIntegration(
      bed,
      createIntegrationSchema.parse({
        provider: 'google_play',
        name: 'Shop app',
        credentials: google.credentials,
        config: { packageName: 'com.example.shop' },
      }),
      now,
    );
  }

  async function appStoreIntegration() {
    return createIntegration(
      bed,
      createIntegrationSchema.parse({
        provider: 'app_store',
        name: 'Shop app (iOS)',
        credentials: apple.credentials,
        config: { appId: '682658836' },
      }),
      now,
    );
  }

  it('pages through Google Play reviews with a service-account token and records each review once', async () => {
    const integration = await playIntegration();
    const [outcome] = await pollReviews(deps, causation, now);

    expect(outcome).toMatchObject({ integrationId: integration.id, status: 'polled' });
    expect(bed.feedbackEvents().map((event) => [event.externalIds.review, event.score?.value])).toEqual([
      ['12345678', 5],
      ['11223344', 5],
      ['99990001', 1],
    ]);
    expect(playRequests().map((request) => request.query.get('token'))).toEqual([null, '12334566']);
    const assertion = decodeJwt(new URLSearchParams(server.requests[0]?.body).get('assertion') ?? '');
    expect(assertion.claims).toMatchObject({
      iss: google.credentials.client_email,
      scope: 'https://www.googleapis.com/auth/androidpublisher',
    });
  });

  it('moves the cursor to the newest review, so the next poll records nothing again', async () => {
    const integration = await playIntegration();
    await pollReviews(deps, causation, now);
    const [second] = await pollReviews(deps, causation, new Date(now.getTime() + 15 * 60_000));

    expect(second).toMatchObject({ status: 'polled', cursor: '2015-10-01T05:20:26.713Z' });
    expect(bed.feedbackEvents()).toHaveLength(3);
    // The first page already reaches reviews older than the cursor, so the second poll stops there.
    expect(playRequests()).toHaveLength(3);
    expect((await bed.integrations.getPoll(integration.id))?.cursor).toBe('2015-10-01T05:20:26.713Z');
  });

  it('follows App Store pages with an ES256 token and stops at the cursor on later polls', async () => {
    await appStoreIntegration();
    await pollReviews(deps, causation, now);
    expect(bed.feedbackEvents().map((event) => event.externalIds.review)).toEqual(['r-3', 'r-2', 'r-1']);
    const token = decodeJwt(appStoreRequests()[0]?.headers.authorization?.replace(/^Bearer /, '') ?? '');
    expect(token.header).toMatchObject({ alg: 'ES256', kid: apple.credentials.keyId });
    expect(token.claims).toMatchObject({ iss: apple.credentials.issuerId, aud: 'appstoreconnect-v1' });

    appStorePages.first = {
      data: [appStoreReview('r-4', '2026-11-20T09:00:00Z', 1), ...(appStorePages.first as { data: unknown[] }).data],
      links: { next: `${server.url}/v1/apps/682658836/customerReviews?cursor=second` },
    };
    server.requests.length = 0;
    await pollReviews(deps, causation, new Date(now.getTime() + 15 * 60_000));
    expect(bed.feedbackEvents().map((event) => event.externalIds.review)).toEqual(['r-3', 'r-2', 'r-1', 'r-4']);
    expect(appStoreRequests()).toHaveLength(1);
  });

  it('does not follow a next-page URL off the configured API', async () => {
    await appStoreIntegration();
    appStorePages.first = { data: [], links: { next: 'https://attacker.example/v1/steal' } };
    const [outcome] = await pollReviews(deps, causation, now);
    expect(outcome).toMatchObject({ status: 'failed', error: 'The next page is not on the App Store API' });
  });

  it('records a failing provider on its integration and still polls the others', async () => {
    const play = await playIntegration();
    const appStore = await appStoreIntegration();
    failPlay = true;
    const outcomes = await pollReviews(deps, causation, now);

    expect(outcomes).toEqual(
      expect.arrayContaining([
        {
          integrationId: play.id,
          status: 'failed',
          error: 'Google Play answered 503 to /androidpublisher/v3/applications/com.example.shop/reviews',
        },
        expect.objectContaining({ integrationId: appStore.id, status: 'polled' }),
      ]),
    );
    expect(await bed.integrations.getPoll(play.id)).toMatchObject({ lastError: expect.stringContaining('503') });
  });

  it('skips integrations without credentials or disabled', async () => {
    const play = await createIntegration(
      bed,
      createIntegrationSchema.parse({
        provider: 'google_play',
        name: 'No key',
        config: { packageName: 'com.example.shop' },
      }),
      now,
    );
    const appStore = await appStoreIntegration();
    await updateIntegration(bed, appStore.id, { status: 'disabled' }, now);
    const outcomes = await pollReviews(deps, causation, now);
    expect(outcomes.map((outcome) => [outcome.integrationId, outcome.status])).toEqual(
      expect.arrayContaining([
        [play.id, 'skipped'],
        [appStore.id, 'skipped'],
      ]),
    );
    expect(server.requests).toEqual([]);
  });
});
