import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRespondentId } from '../../services/collection/src/domain/respondents';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

const origin = 'https://shop.example.com';

describe('collection surveys, responses and API keys through the local runtime', () => {
  let system: TestRuntime;
  let surveyId: string;
  let identitySecret: string;

  const respond = (body: unknown, headers: Record<string, string> = {}) =>
    system.api(`/v1/surveys/${surveyId}/responses`, { method: 'POST', json: body, headers });

  beforeAll(async () => {
    system = await startTestRuntime();
    const response = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: {
        name: 'Checkout CSAT',
        type: 'csat',
        allowedOrigins: [`${origin}/`],
        followUpQuestions: [
          {
            id: 'reason',
            type: 'single_choice',
            text: { en: 'What mattered most?', ru: 'Что было важнее всего?' },
            choices: [
              { id: 'price', text: { en: 'Price', ru: 'Цена' } },
              { id: 'delivery', text: { en: 'Delivery', ru: 'Доставка' } },
            ],
          },
        ],
        throttle: { minDaysBetweenAsks: 14, minDaysAfterResponse: 60, sampleRate: 1 },
      },
    });
    expect(response.status).toBe(201);
    ({ id: surveyId, identitySecret } = (await response.json()) as { id: string; identitySecret: string });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('shows the identity secret once: never when the survey is read', async () => {
    expect(identitySecret).toMatch(/^cxs_/);
    const read = await system.api(`/v1/surveys/${surveyId}`, { admin: true });
    expect(JSON.stringify(await read.json())).not.toContain(identitySecret);
  });

  describe('CORS per survey', () => {
    it('answers a preflight from an allowed origin', async () => {
      const response = await system.api(`/v1/surveys/${surveyId}/responses`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')).toContain('content-type');
    });

    it('refuses another origin, preflight and post, without CORS headers', async () => {
      const preflight = await system.api(`/v1/surveys/${surveyId}/responses`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const posted = await respond({ score: 5 }, { origin: 'https://evil.example' });
      expect(posted.status).toBe(403);
    });

    it('puts CORS headers on errors too, so the widget can read which field failed', async () => {
      const response = await respond({ score: 9 }, { origin });
      expect(response.status).toBe(400);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(((await response.json()) as { message: string }).message).toContain('body.score');
    });
  });

  describe('what the public routes refuse', () => {
    it('answers 403 saying why to Origin null or a malformed Origin, on the API and on hosted page posts', async () => {
      for (const header of ['null', 'https://shop.example.com/checkout', 'not an origin']) {
        const api = await respond({ responseId: 'e2e-origin-1', score: 5 }, { origin: header });
        expect(api.status).toBe(403);
        const page = await system.api(`/s/${surveyId}`, {
          method: 'POST',
          headers: { origin: header, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'score=5',
        });
        expect(page.status).toBe(403);
        expect(((await page.json()) as { message: string }).message).toMatch(/Origin null|not an http\(s\) origin/);
      }
    });

    it('answers 415 naming the expected type to a body of another type', async () => {
      const api = await system.api(`/v1/surveys/${surveyId}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ responseId: 'e2e-type-1', score: 5 }),
      });
      expect(api.status).toBe(415);
      expect(await api.json()).toMatchObject({
        error: 'unsupported_media_type',
        details: { expected: 'application/json' },
      });
      const page = await system.api(`/s/${surveyId}`, {
        method: 'POST',
        json: { score: 5 },
        headers: { accept: 'application/json' },
      });
      expect(page.status).toBe(415);
      expect(await page.json()).toMatchObject({ details: { expected: 'application/x-www-form-urlencoded' } });
    });
  });

  it('takes the score first and the follow-up answer later as one response, idempotently', async () => {
    const respondent = { id: 'customer-7', signature: signRespondentId(identitySecret, 'customer-7') };
    const first = await respond({ responseId: 'e2e-csat-0001', score: 2, respondent }, { origin });
    expect(first.status).toBe(201);
    const { feedbackId } = (await first.json()) as { feedbackId: string };

    const later = await respond(
      { responseId: 'e2e-csat-0001', comment: 'Late again', answers: [{ questionId: 'reason', value: 'delivery' }] },
      { origin },
    );
    expect(await later.json()).toMatchObject({ feedbackId, revision: 2, outcome: 'updated' });
    const retry = await respond(
      { responseId: 'e2e-csat-0001', comment: 'Late again', answers: [{ questionId: 'reason', value: 'delivery' }] },
      { origin },
    );
    expect(await retry.json()).toMatchObject({ feedbackId, revision: 2, outcome: 'unchanged' });
  });

  it('refuses a forged user signature with 401', async () => {
    const forged = { id: 'customer-8', signature: signRespondentId('not-the-secret', 'customer-8') };
    const response = await respond({ score: 4, respondent: forged });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toContain('body.respondent.signature');
  });

  it('answers "may this respondent be asked now?" once per period', async () => {
    const ask = () =>
      system.api(`/v1/surveys/${surveyId}/asks`, {
        method: 'POST',
        json: { respondent: { anonymousId: 'anon-e2e-0001' } },
        headers: { origin },
      });
    const first = await ask();
    expect(first.status).toBe(200);
    expect(first.headers.get('access-control-allow-origin')).toBe(origin);
    expect(await first.json()).toEqual({ ask: true });
    expect(await (await ask()).json()).toMatchObject({ ask: false, reason: 'asked_recently' });
  });

  it('limits posts per respondent with 429 and Retry-After', async () => {
    const respondent = { anonymousId: 'anon-e2e-busy' };
    let last: Response | undefined;
    for (let index = 0; index < 21; index++) {
      last = await respond({ responseId: 'e2e-csat-busy', score: 3, respondent, properties: { n: index } });
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  describe('API keys', () => {
    it('creates a scoped key shown once, which opens only its scope', async () => {
      const created = await system.api('/v1/api-keys', {
        method: 'POST',
        admin: true,
        json: { name: 'metrics reader', scopes: ['read:metrics'] },
      });
      expect(created.status).toBe(201);
      const { id, key } = (await created.json()) as { id: string; key: string };
      const bearer = { authorization: `Bearer ${key}` };
      expect((await system.api(`/v1/metrics?surveyId=${surveyId}`, { headers: bearer })).status).toBe(200);
      expect((await system.api('/v1/surveys', { headers: bearer })).status).toBe(403);

      const listed = await system.api('/v1/api-keys', { admin: true });
      const { items } = (await listed.json()) as { items: { id: string }[] };
      expect(items).toContainEqual(expect.objectContaining({ id, name: 'metrics reader', scopes: ['read:metrics'] }));
      expect(JSON.stringify(items)).not.toContain(key);
    });

    it('refuses a revoked key with 401', async () => {
      const created = await system.api('/v1/api-keys', {
        method: 'POST',
        admin: true,
        json: { name: 'short-lived', scopes: ['admin'] },
      });
      const { id, key } = (await created.json()) as { id: string; key: string };
      const revoked = await system.api(`/v1/api-keys/${id}`, { method: 'DELETE', admin: true });
      expect(await revoked.json()).toMatchObject({ id, revokedAt: expect.any(String) });
      expect((await system.api('/v1/surveys', { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    });
  });

  it('shows integrations without their secrets, with the webhook URL to give the provider', async () => {
    const created = await system.api('/v1/integrations', {
      method: 'POST',
      admin: true,
      json: { provider: 'trustpilot', name: 'Trustpilot', secret: 'trustpilot-token-123' },
    });
    const { id } = (await created.json()) as { id: string };
    const read = await system.api(`/v1/integrations/${id}`, { admin: true });
    const integration = await read.json();
    expect(integration).toMatchObject({
      id,
      hasSecret: true,
      webhookUrl: expect.stringContaining(`/v1/webhooks/trustpilot/${id}`),
    });
    expect(JSON.stringify(integration)).not.toContain('trustpilot-token-123');
    const invalid = await system.api('/v1/integrations', {
      method: 'POST',
      admin: true,
      json: { provider: 'google_play', name: 'Play' },
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { message: string }).message).toContain('body.config');
  });

  it('runs the poller on its schedule over every pull integration', async () => {
    const created = await system.api('/v1/integrations', {
      method: 'POST',
      admin: true,
      json: { provider: 'google_play', name: 'Shop app', config: { packageName: 'com.example.shop' } },
    });
    expect(created.status).toBe(201);
    const { id, webhookUrl } = (await created.json()) as { id: string; webhookUrl: string | null };
    expect(webhookUrl).toBeNull();

    // Every 15 minutes, scaled by the test runtime's time scale; without credentials nothing is fetched.
    const deadline = Date.now() + 45_000;
    let poll: { lastPolledAt?: string; lastError?: string } | undefined;
    while (!poll?.lastPolledAt && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      poll = ((await (await system.api(`/v1/integrations/${id}`, { admin: true })).json()) as { poll?: typeof poll })
        .poll;
    }
    expect(poll).toMatchObject({ lastPolledAt: expect.any(String), lastError: 'no credentials set' });
  });
});
