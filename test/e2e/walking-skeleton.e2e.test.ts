import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

/** The v1 walking skeleton, over HTTP through the local runtime running the synthesized CDK app. */
describe('walking skeleton: survey → response → categorised → metrics → follow-up case', () => {
  let system: TestRuntime;
  let surveyId: string;

  beforeAll(async () => {
    system = await startTestRuntime();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('refuses admin routes without a key or with a wrong one (401)', async () => {
    expect((await system.api('/v1/surveys', { method: 'POST', json: { name: 'x' } })).status).toBe(401);
    const wrong = await system.api('/v1/surveys', {
      method: 'POST',
      json: { name: 'x' },
      headers: { authorization: 'Bearer not-a-key' },
    });
    expect(wrong.status).toBe(401);
    expect((await system.api('/v1/metrics?surveyId=x')).status).toBe(401);
  });

  it('1. creates an NPS survey (admin)', async () => {
    const response = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Delivery NPS', type: 'nps', timeZone: 'Europe/Moscow' },
    });
    expect(response.status).toBe(201);
    const survey = (await response.json()) as { id: string; type: string };
    expect(survey).toMatchObject({ type: 'nps' });
    surveyId = survey.id;
  });

  it('answers a bad body with 400 naming the field', async () => {
    const response = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: '', type: 'stars' },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string };
    expect(body.message).toContain('body.name');
    expect(body.message).toContain('body.type');
    const badScore = await system.api(`/v1/surveys/${surveyId}/responses`, { method: 'POST', json: { score: 11 } });
    expect(badScore.status).toBe(400);
    expect(((await badScore.json()) as { message: string }).message).toContain('body.score');
  });

  it('2–5. a detractor response flows to metrics and opens a follow-up case', async () => {
    const answer = {
      responseId: 'e2e-response-0001',
      score: 3,
      comment: 'Доставка опоздала на три дня, поддержка не отвечает.',
      respondent: { id: 'customer-42' },
      locale: 'ru-RU',
      channel: 'web',
      properties: { plan: 'pro' },
    };
    const posted = await system.api(`/v1/surveys/${surveyId}/responses`, { method: 'POST', json: answer });
    expect(posted.status).toBe(201);
    const { feedbackId } = (await posted.json()) as { feedbackId: string };

    const retried = await system.api(`/v1/surveys/${surveyId}/responses`, { method: 'POST', json: answer });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ feedbackId, revision: 1, outcome: 'unchanged' });

    await system.runtime.idle(30_000);

    const metrics = await system.api(`/v1/metrics?surveyId=${surveyId}`, { admin: true });
    expect(metrics.status).toBe(200);
    expect(await metrics.json()).toMatchObject({ responses: 1, promoters: 0, passives: 0, detractors: 1, nps: -100 });

    const followUps = await system.api('/v1/followups?status=open', { admin: true });
    expect(followUps.status).toBe(200);
    const { items } = (await followUps.json()) as { items: { feedbackId: string; reason: string; status: string }[] };
    expect(items).toContainEqual(expect.objectContaining({ feedbackId, reason: 'detractor', status: 'open' }));
  });
});
