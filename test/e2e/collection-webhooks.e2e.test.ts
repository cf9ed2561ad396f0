import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { FeedbackReceived } from '@cxloop/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushProvider } from '../../services/collection/src/domain/integrations';
import { alteredBody, type SignedDelivery, signedExample } from '../../services/collection/test/support/deliveries';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

/** Business Profile pushes need a fetch from Google; its path is covered against a recorded server in receive-webhook.int. */
const providers = [
  'zendesk',
  'freshdesk',
  'intercom',
  'helpscout',
  'trustpilot',
  'typeform',
  'delighted',
] as const satisfies readonly PushProvider[];
const secret = 'whsec_e2e_5b7d1e9f3a';

describe('collection webhooks through the local runtime', () => {
  let system: TestRuntime;
  let db: DynamoDBDocumentClient;
  let tableName: string;
  const received: { integrationId?: string; feedbackId: string; revision: number; source: string }[] = [];
  const integrations = new Map<string, string>();

  async function integration(provider: PushProvider): Promise<string> {
    const response = await system.api('/v1/integrations', {
      method: 'POST',
      admin: true,
      json: { provider, name: `${provider} e2e`, secret },
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; webhookUrl: string };
    expect(created.webhookUrl).toBe(`${system.runtime.url}/v1/webhooks/${provider}/${created.id}`);
    expect(JSON.stringify(created)).not.toContain(secret);
    return created.id;
  }

  function post(provider: string, integrationId: string, delivery: SignedDelivery) {
    const query = new URLSearchParams(delivery.query).toString();
    return system.api(`/v1/webhooks/${provider}/${integrationId}${query ? `?${query}` : ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...delivery.headers },
      body: new Uint8Array(delivery.rawBody),
    });
  }

  async function storedFeedback(integrationId: string) {
    const result = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': `EXTERNAL#${integrationId}#` },
      }),
    );
    return result.Items ?? [];
  }

  beforeAll(async () => {
    system = await startTestRuntime();
    system.runtime.onEvent((_bus, event) => {
      if (event['detail-type'] !== FeedbackReceived.detailType) return;
      received.push(FeedbackReceived.detailSchema.parse(event.detail).data);
    });
    const tableLogicalId = Object.keys(system.runtime.resources.tables).find((id) => id.startsWith('CollectionTable'));
    tableName = system.runtime.resources.tables[tableLogicalId ?? ''] ?? '';
    db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: system.runtime.dynamoEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    for (const provider of providers) integrations.set(provider, await integration(provider));
  });
  afterAll(async () => {
    db?.destroy();
    await system?.stop();
  });

  it.each(providers)(
    '%s: the signed example becomes one stored feedback and one FeedbackReceived',
    async (provider) => {
      const integrationId = integrations.get(provider) ?? '';
      const response = await post(provider, integrationId, signedExample(provider, secret, new Date()));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'recorded', items: [{ revision: 1, outcome: 'created' }] });

      await system.runtime.idle(30_000);
      const stored = await storedFeedback(integrationId);
      expect(stored).toHaveLength(1);
      const events = received.filter((event) => event.integrationId === integrationId);
      expect(events).toEqual([
        expect.objectContaining({ source: provider, revision: 1, feedbackId: stored[0]?.feedbackId }),
      ]);
    },
  );

  it('stores the same delivery once: the replay answers 200 and changes nothing', async () => {
    const integrationId = integrations.get('intercom') ?? '';
    const delivery = signedExample('intercom', secret, new Date());
    const replay = await post('intercom', integrationId, delivery);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: 'duplicate' });
    await system.runtime.idle(30_000);
    expect(await storedFeedback(integrationId)).toHaveLength(1);
    expect(received.filter((event) => event.integrationId === integrationId)).toHaveLength(1);
  });

  describe('401 and nothing stored', () => {
    it.each([
      ['an altered body', (delivery: SignedDelivery) => ({ ...delivery, rawBody: alteredBody(delivery.rawBody) })],
      ['a signature with another secret', () => signedExample('delighted', 'whsec_not_the_secret', new Date())],
      ['no signature', (delivery: SignedDelivery) => ({ ...delivery, headers: {} })],
    ])('Delighted with %s', async (_, change) => {
      const integrationId = await integration('delighted');
      const body = Buffer.from(
        JSON.stringify({
          event_type: 'survey_response.created',
          event_id: `evt-${integrationId}`,
          event_data: { id: '77', survey_type: 'nps', score: 3, created_at: 1763629200 },
        }),
      );
      const response = await post(
        'delighted',
        integrationId,
        change(signedExample('delighted', secret, new Date(), body)),
      );
      expect(response.status).toBe(401);
      await system.runtime.idle(30_000);
      expect(await storedFeedback(integrationId)).toEqual([]);
      expect(received.filter((event) => event.integrationId === integrationId)).toEqual([]);
    });

    it('a Zendesk delivery signed more than 5 minutes ago', async () => {
      const integrationId = await integration('zendesk');
      const stale = signedExample('zendesk', secret, new Date(Date.now() - 10 * 60_000));
      const response = await post('zendesk', integrationId, stale);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { message: string }).message).toContain('5 minutes');
      expect(await storedFeedback(integrationId)).toEqual([]);
    });
  });

  it('acknowledges an unknown Intercom topic with 200 and stores nothing', async () => {
    const integrationId = await integration('intercom');
    const body = Buffer.from(
      JSON.stringify({ type: 'notification_event', id: 'notif_ping_1', topic: 'contact.created', data: { item: {} } }),
    );
    const response = await post('intercom', integrationId, signedExample('intercom', secret, new Date(), body));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ignored' });
    expect(await storedFeedback(integrationId)).toEqual([]);
  });
});
