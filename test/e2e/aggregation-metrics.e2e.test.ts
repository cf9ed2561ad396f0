import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketKey } from '../../services/aggregation/src/domain/metrics';
import { createDelightedKey, delightedClient } from '../support/delighted';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

type Json = Record<string, unknown>;

/** Issue 5 over HTTP: per-survey config, metrics with points, groups and comparisons, Delighted metrics, explorer, rebuild. */
describe('aggregation: metrics, explorer and rebuild through the local runtime', () => {
  let system: TestRuntime;
  let surveyId: string;
  const today = bucketKey(new Date(), 'day', 'Europe/Moscow');
  const answers = [
    { score: 10, channel: 'web', plan: 'pro', comment: 'Курьер приехал вовремя, спасибо' },
    { score: 9, channel: 'web', plan: 'free' },
    { score: 3, channel: 'email', plan: 'pro', comment: 'Доставка опоздала на три дня' },
    { score: 6, channel: 'email', plan: 'free' },
    { score: 8, channel: 'web', plan: 'pro' },
    { score: 0, channel: 'sms', plan: 'free', comment: 'Поддержка не отвечает' },
  ];

  const json = async (path: string) => {
    const response = await system.api(path, { admin: true });
    expect(response.status, path).toBe(200);
    return (await response.json()) as Json;
  };

  beforeAll(async () => {
    system = await startTestRuntime();
    const created = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Delivery NPS', type: 'nps', timeZone: 'Europe/Moscow' },
    });
    surveyId = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('takes a segment key and a pair of dimensions as the survey’s aggregation config', async () => {
    const bad = await system.api(`/v1/aggregation/surveys/${surveyId}/config`, {
      method: 'PUT',
      admin: true,
      json: { segmentKeys: ['channel'] },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('body.segmentKeys.0');
    const put = await system.api(`/v1/aggregation/surveys/${surveyId}/config`, {
      method: 'PUT',
      admin: true,
      json: { segmentKeys: ['plan'], combinations: [['channel', 'plan']] },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ config: { segmentKeys: ['plan'] }, rebuildRecommended: false });
  });

  it('counts responses, an update and a duplicate post once each', async () => {
    for (const [index, answer] of answers.entries()) {
      const posted = await system.api(`/v1/surveys/${surveyId}/responses`, {
        method: 'POST',
        json: {
          responseId: `e2e-aggregation-${index}`,
          score: answer.score,
          channel: answer.channel,
          properties: { plan: answer.plan },
          ...(answer.comment ? { comment: answer.comment, locale: 'ru-RU' } : {}),
        },
      });
      expect(posted.status).toBe(201);
    }
    // The detractor on sms changes their mind; the first answer is posted again.
    const update = { responseId: 'e2e-aggregation-5', score: 7 };
    expect((await system.api(`/v1/surveys/${surveyId}/responses`, { method: 'POST', json: update })).status).toBe(200);
    const again = { responseId: 'e2e-aggregation-0', score: 10, channel: 'web', properties: { plan: 'pro' } };
    await system.api(`/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      json: { ...again, comment: answers[0]!.comment, locale: 'ru-RU' },
    });
    await system.runtime.idle(60_000);

    const total = await json(`/v1/metrics?surveyId=${surveyId}`);
    // 10, 9, 3, 6, 8, 7: two promoters, two passives, two detractors.
    expect(total).toMatchObject({ responses: 6, promoters: 2, passives: 2, detractors: 2, nps: 0 });
    expect(total.marginOfError).toBeGreaterThan(0);
  });

  it('serves daily points with margins of error, a comparison, and groups through a configured pair', async () => {
    const daily = await json(`/v1/metrics?surveyId=${surveyId}&from=${today}&to=${today}&interval=day`);
    expect(daily).toMatchObject({
      bucketInterval: 'day',
      points: [{ bucket: today, n: 6, nps: 0 }],
      previous: { n: 0 },
      comparison: { metric: 'nps', significant: false },
    });
    const byChannel = await json(`/v1/metrics?surveyId=${surveyId}&groupBy=channel&filter[plan]=pro`);
    expect(byChannel).toMatchObject({ responses: 3, filter: { plan: 'pro' } });
    expect((byChannel.groups as Json[]).map((group) => [group.value, group.responses])).toEqual([
      ['web', 2],
      ['email', 1],
    ]);
    const refused = await system.api(`/v1/metrics?surveyId=${surveyId}&groupBy=topic&filter[plan]=pro`, {
      admin: true,
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain('query.groupBy');
  });

  it("answers Delighted's metrics to a delighted key bound to the survey", async () => {
    const client = delightedClient(system, await createDelightedKey(system, surveyId));
    expect({ ...(await client.metrics.retrieve()) }).toMatchObject({
      nps: 0,
      promoter_count: 2,
      promoter_percent: 33,
      passive_count: 2,
      passive_percent: 33,
      detractor_count: 2,
      detractor_percent: 33,
      response_count: 6,
    });
  });

  it('lists feedback with its text and labels in the explorer', async () => {
    const page = await json(`/v1/feedback?surveyId=${surveyId}&maxScore=6&limit=10`);
    expect((page.items as Json[]).map((item) => item.score).sort()).toEqual([3, 6]);
    expect(page.items).toContainEqual(
      expect.objectContaining({ text: 'Доставка опоздала на три дня', channel: 'email', topics: expect.any(Array) }),
    );
  });

  it('rebuilds the survey’s figures from stored feedback without changing them', async () => {
    const before = await json(`/v1/metrics?surveyId=${surveyId}&groupBy=plan`);
    const started = await system.api(`/v1/aggregation/surveys/${surveyId}/rebuild`, { method: 'POST', admin: true });
    expect(started.status).toBe(202);
    await system.runtime.idle(60_000);
    expect(await json(`/v1/aggregation/surveys/${surveyId}/rebuild`)).toMatchObject({
      status: 'done',
      percent: 100,
      generation: 1,
      total: 6,
    });
    const after = await json(`/v1/metrics?surveyId=${surveyId}&groupBy=plan`);
    expect(after.groups).toEqual(before.groups);
    expect(after.histogram).toEqual(before.histogram);
  });
});
