import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIntegrationSchema, type PushProvider, pushProviders } from '../src/domain/integrations';
import { businessProfileReviews, googleSigningKeys, pubSubPushVerifier } from '../src/providers/google';
import { createIntegration } from '../src/use-cases/manage-integrations';
import { type ReceiveWebhookDeps, receiveWebhook } from '../src/use-cases/receive-webhook';
import { answered } from './support/answers';
import {
  alteredBody,
  businessProfileReview,
  businessProfileReviewName,
  type SignedDelivery,
  signedExample,
} from './support/deliveries';
import { certsEndpoint, googleTestKey, pushAudience, pushServiceAccount } from './support/google-oidc';
import { googleTokenEndpoint, startProviderServer, testServiceAccount } from './support/provider-server';
import { type CollectionTestbed, collectionTestbed } from './support/testbed';
import { fixture } from './webhooks/support';

const secret = 'whsec_integration_3f9a1c7e5b';
const now = new Date('2026-11-20T09:15:00Z');
const causation = { correlationId: 'webhook-test' };
const account = testServiceAccount();
const pushKey = googleTestKey('google-key-1');

describe('receiveWebhook against DynamoDB Local', () => {
  let bed: CollectionTestbed;
  let deps: ReceiveWebhookDeps;
  let google: Awaited<ReturnType<typeof startProviderServer>>;

  beforeAll(async () => {
    google = await startProviderServer([
      googleTokenEndpoint(account.publicKey, 'google-access-token'),
      (request) =>
        request.method === 'GET' &&
        request.path === `/v4/${businessProfileReviewName}` &&
        request.headers.authorization === 'Bearer google-access-token'
          ? { body: businessProfileReview }
          : undefined,
    ]);
  });
  afterAll(async () => {
    await google?.stop();
  });

  beforeEach(async () => {
    bed = await collectionTestbed();
    deps = {
      ...bed,
      fetchBusinessProfileReview: businessProfileReviews({
        tokenUrl: `${google.url}/token`,
        businessProfileApiUrl: google.url,
      }),
      verifyPubSubPush: pubSubPushVerifier(
        googleSigningKeys('https://www.googleapis.com/oauth2/v3/certs', certsEndpoint(() => [pushKey.jwk]).fetch),
      ),
    };
  });

  async function integrationFor(provider: PushProvider, overrides: Record<string, unknown> = {}) {
    const input = createIntegrationSchema.parse({
      provider,
      name: `${provider} test`,
      secret,
      ...(provider === 'google_business_profile' ? { credentials: account.credentials } : {}),
      ...overrides,
    });
    return createIntegration(bed, input, now);
  }

  function deliver(provider: string, integrationId: string, delivery: SignedDelivery, at = now) {
    return receiveWebhook(deps, { provider, integrationId, ...delivery, causation, now: at });
  }

  describe.each(pushProviders)('%s', (provider) => {
    it('turns the signed example into one stored feedback and one FeedbackReceived', async () => {
      const integration = await integrationFor(provider);
      const result = await deliver(provider, integration.id, signedExample(provider, secret, now));

      expect(result).toMatchObject({ status: 'recorded', items: [{ revision: 1, outcome: 'created' }] });
      const stored = await bed.itemsWithPrefix(`EXTERNAL#${integration.id}#`);
      expect(stored).toHaveLength(1);
      const events = bed.feedbackEvents();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ source: provider, integrationId: integration.id, revision: 1 });
      expect(events[0]?.feedbackId).toBe(stored[0]?.feedbackId);
    });

    it('answers 401 to a delivery signed with another secret and stores nothing', async () => {
      const integration = await integrationFor(provider);
      const forged = signedExample(provider, 'whsec_someone_else_0000', now);
      await expect(answered(deliver(provider, integration.id, forged))).rejects.toMatchObject({ statusCode: 401 });
      expect(await bed.itemsWithPrefix(`EXTERNAL#${integration.id}#`)).toEqual([]);
      expect(bed.published).toEqual([]);
    });

    it('stores the same delivery once: the replay answers duplicate and changes nothing', async () => {
      const integration = await integrationFor(provider);
      const delivery = signedExample(provider, secret, now);
      await deliver(provider, integration.id, delivery);
      const replay = await deliver(provider, integration.id, delivery);

      expect(replay).toEqual({ status: 'duplicate' });
      expect(await bed.itemsWithPrefix(`EXTERNAL#${integration.id}#`)).toHaveLength(1);
      expect(bed.published).toHaveLength(1);
    });
  });

  // Freshdesk, Trustpilot and Business Profile prove the sender by a token, not the body: another secret covers them.
  it.each(['zendesk', 'intercom', 'helpscout', 'typeform', 'delighted'] as const)(
    '%s: answers 401 to an altered body and stores nothing',
    async (provider) => {
      const integration = await integrationFor(provider);
      const signed = signedExample(provider, secret, now);
      const tampered = { ...signed, rawBody: alteredBody(signed.rawBody) };
      await expect(answered(deliver(provider, integration.id, tampered))).rejects.toMatchObject({ statusCode: 401 });
      expect(await bed.itemsWithPrefix(`EXTERNAL#${integration.id}#`)).toEqual([]);
      expect(await bed.itemsWithPrefix(`DELIVERY#${integration.id}#`)).toEqual([]);
      expect(bed.published).toEqual([]);
    },
  );

  it('answers 401 to a correctly signed Zendesk delivery stamped more than 5 minutes ago, storing nothing', async () => {
    const integration = await integrationFor('zendesk');
    const stale = signedExample('zendesk', secret, new Date(now.getTime() - 6 * 60_000));
    await expect(answered(deliver('zendesk', integration.id, stale))).rejects.toMatchObject({
      statusCode: 401,
      message: expect.stringContaining('5 minutes'),
    });
    expect(await bed.itemsWithPrefix(`EXTERNAL#${integration.id}#`)).toEqual([]);
  });

  it('answers 401 while the integration has no secret yet', async () => {
    const integration = await createIntegration(
      bed,
      createIntegrationSchema.parse({ provider: 'intercom', name: 'no secret yet' }),
      now,
    );
    await expect(
      answered(deliver('intercom', integration.id, signedExample('intercom', secret, now))),
    ).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('answers 404 to an unknown integration, or one of another provider', async () => {
    const integration = await integrationFor('intercom');
    await expect(
      answered(deliver('intercom', 'int_missing', signedExample('intercom', secret, now))),
    ).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(
      answered(deliver('delighted', integration.id, signedExample('delighted', secret, now))),
    ).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(
      answered(deliver('myspace', integration.id, signedExample('intercom', secret, now))),
    ).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('acknowledges an unknown event type and stores nothing', async () => {
    const integration = await integrationFor('zendesk');
    const event = signedExample('zendesk', secret, now, fixture('zendesk/event_user_active_changed.json').rawBody);
    expect(await deliver('zendesk', integration.id, event)).toMatchObject({ status: 'ignored' });
    expect(await bed.itemsWithPrefix(`EXTERNAL#${integration.id}#`)).toEqual([]);
    expect(bed.published).toEqual([]);
  });

  it('answers 400 naming the problem when a verified body does not have the provider shape', async () => {
    const integration = await integrationFor('delighted');
    const body = Buffer.from(JSON.stringify({ event_type: 'survey_response.created', event_id: 'e1', event_data: {} }));
    await expect(
      answered(deliver('delighted', integration.id, signedExample('delighted', secret, now, body))),
    ).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('Delighted survey response has an unexpected shape'),
    });
    const notJson = Buffer.from('{"event_type":');
    await expect(
      answered(deliver('delighted', integration.id, signedExample('delighted', secret, now, notJson))),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  describe('Delighted: created, then updated with the comment', () => {
    const created = {
      event_type: 'survey_response.created',
      event_id: 'evt-created-0001',
      event_data: {
        id: '5435',
        person: { id: '5975', email: 'charlie_gravis@example.com' },
        survey_type: 'nps',
        score: 9,
        comment: null,
        created_at: 1516128528,
        updated_at: 1516128528,
      },
    };
    const updated = {
      ...created,
      event_type: 'survey_response.updated',
      event_id: 'evt-updated-0002',
      event_data: { ...created.event_data, comment: 'Fast and flawless', updated_at: 1516129128 },
    };
    const bytes = (body: unknown) => Buffer.from(JSON.stringify(body));

    it('keeps one feedback and publishes the update as revision 2', async () => {
      const integration = await integrationFor('delighted');
      await deliver('delighted', integration.id, signedExample('delighted', secret, now, bytes(created)));
      const second = await deliver(
        'delighted',
        integration.id,
        signedExample('delighted', secret, now, bytes(updated)),
      );

      expect(second).toMatchObject({ status: 'recorded', items: [{ revision: 2, outcome: 'updated' }] });
      const events = bed.feedbackEvents();
      expect(events.map((event) => [event.revision, event.text])).toEqual([
        [1, undefined],
        [2, 'Fast and flawless'],
      ]);
      expect(events[1]?.feedbackId).toBe(events[0]?.feedbackId);
      expect(events[1]?.score).toMatchObject({ value: 9, min: 0, max: 10 });
    });

    it('does not let a late copy of the older event undo the update', async () => {
      const integration = await integrationFor('delighted');
      await deliver('delighted', integration.id, signedExample('delighted', secret, now, bytes(updated)));
      const late = await deliver('delighted', integration.id, signedExample('delighted', secret, now, bytes(created)));

      expect(late).toMatchObject({ items: [{ revision: 1, outcome: 'stale' }] });
      expect(bed.feedbackEvents().map((event) => event.text)).toEqual(['Fast and flawless']);
    });
  });

  it('publishes a revision that a crash left unpublished when the provider retries', async () => {
    const integration = await integrationFor('intercom');
    const delivery = signedExample('intercom', secret, now);
    const failing = { ...deps, publish: async () => Promise.reject(new Error('bus unavailable')) };
    await expect(
      receiveWebhook(failing, { provider: 'intercom', integrationId: integration.id, ...delivery, causation, now }),
    ).rejects.toThrow('bus unavailable');

    const retry = await deliver('intercom', integration.id, delivery);
    expect(retry).toMatchObject({ status: 'recorded', items: [{ revision: 1, outcome: 'unchanged' }] });
    expect(bed.feedbackEvents()).toHaveLength(1);
    expect(await deliver('intercom', integration.id, delivery)).toEqual({ status: 'duplicate' });
  });

  it('reads a Zendesk template through the integration mapping', async () => {
    const integration = await integrationFor('zendesk', {
      mapping: {
        ticketId: '/ticket/id',
        score: '/csat/score',
        scale: { kind: 'csat', min: 1, max: 5 },
        comment: '/csat/comment',
      },
    });
    const body = Buffer.from(JSON.stringify({ ticket: { id: 991 }, csat: { score: '4', comment: 'Fine' } }));
    await deliver('zendesk', integration.id, signedExample('zendesk', secret, now, body));
    expect(bed.feedbackEvents()[0]).toMatchObject({
      kind: 'csat',
      score: { value: 4, min: 1, max: 5 },
      text: 'Fine',
      externalIds: { ticket: '991' },
    });
  });

  it('fetches the Business Profile review a notification names, with a token from the service account', async () => {
    const integration = await integrationFor('google_business_profile');
    await deliver('google_business_profile', integration.id, signedExample('google_business_profile', secret, now));

    expect(bed.feedbackEvents()[0]).toMatchObject({
      source: 'google_business_profile',
      kind: 'review',
      score: { value: 5, min: 1, max: 5, original: 'FIVE' },
      text: 'Friendly staff, but the queue was long.',
    });
    const fetches = google.requests.filter((request) => request.path === `/v4/${businessProfileReviewName}`);
    expect(fetches.at(-1)?.headers.authorization).toBe('Bearer google-access-token');
  });

  describe('Google Business Profile with the push subscription’s OIDC token', () => {
    const config = { pushAudience, pushServiceAccount };
    const notification = () => signedExample('google_business_profile', secret, now).rawBody;

    it('records a push proven by its token, without a URL token', async () => {
      const integration = await integrationFor('google_business_profile', { secret: undefined, config });
      const authorization = `Bearer ${await pushKey.sign(now)}`;
      const delivery = { rawBody: notification(), headers: { authorization }, query: {} };
      expect(await deliver('google_business_profile', integration.id, delivery)).toMatchObject({ status: 'recorded' });
      expect(bed.feedbackEvents()).toHaveLength(1);
    });

    it.each([
      ['no token, even with the URL token', async () => ({ headers: {}, query: { token: secret } }), /missing/],
      [
        'a token for another audience',
        async () => ({ headers: { authorization: `Bearer ${await pushKey.sign(now, { aud: 'x' })}` }, query: {} }),
        /aud/,
      ],
      [
        'a token of another service account',
        async () => ({
          headers: { authorization: `Bearer ${await pushKey.sign(now, { email: 'other@example.com' })}` },
          query: {},
        }),
        /service account/,
      ],
    ])('answers 401 to %s and stores nothing', async (_case, proof, reason) => {
      const integration = await integrationFor('google_business_profile', { config });
      await expect(
        answered(deliver('google_business_profile', integration.id, { rawBody: notification(), ...(await proof()) })),
      ).rejects.toMatchObject({ statusCode: 401, message: expect.stringMatching(reason) });
      expect(await bed.itemsWithPrefix('EXTERNAL#')).toEqual([]);
      expect(await bed.itemsWithPrefix('DELIVERY#')).toEqual([]);
      expect(bed.published).toEqual([]);
    });
  });

  it('keeps integration secrets sealed in the table', async () => {
    const integration = await integrationFor('delighted');
    const [secrets] = await bed
      .itemsWithPrefix(`INTEGRATION#${integration.id}`)
      .then((items) => items.filter((item) => item.sk === 'SECRETS'));
    expect(secrets?.secret).toMatch(/^v1\./);
    expect(JSON.stringify(await bed.itemsWithPrefix(`INTEGRATION#${integration.id}`))).not.toContain(secret);
  });
});
