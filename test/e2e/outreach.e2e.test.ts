import { MetricAlertRaised } from '@cxloop/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishOnLocalBus } from '../support/bus';
import { provenRespondent } from '../support/respondents';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

type Json = Record<string, unknown>;

/**
 * The loop from a metric to whom to call: a seeded survey whose detractors mention delivery, the drivers that rank
 * delivery first, a MetricAlertRaised for the small-business segment (published on the local bus as aggregation
 * publishes it, twice) and the outreach list of that segment's detractors and passives with proven contact.
 */
describe('outreach for the segment that fell, through the local runtime', () => {
  let system: TestRuntime;
  let surveyId: string;
  let identitySecret: string;

  const respond = async (responseId: string, body: Json) => {
    const posted = await system.api(`/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      json: { responseId, ...body },
    });
    expect(posted.status, await posted.clone().text()).toBe(201);
  };
  const getJson = async (path: string) => {
    const answer = await system.api(path, { admin: true });
    expect(answer.status, path).toBe(200);
    return (await answer.json()) as Json;
  };

  beforeAll(async () => {
    system = await startTestRuntime();
    const created = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Outreach NPS', type: 'nps', timeZone: 'Europe/Moscow' },
    });
    expect(created.status).toBe(201);
    ({ id: surveyId, identitySecret } = (await created.json()) as { id: string; identitySecret: string });
    const smb = { plan: 'smb' };
    const proven = (id: string) => provenRespondent(identitySecret, { id });
    await respond('outreach-1', {
      score: 2,
      comment: 'Доставка опоздала на три дня',
      respondent: proven('smb-anna'),
      properties: smb,
    });
    await respond('outreach-2', {
      score: 4,
      comment: 'Delivery was late again',
      respondent: proven('smb-boris'),
      properties: smb,
    });
    await respond('outreach-3', {
      score: 1,
      comment: 'Курьер с доставкой опоздал',
      respondent: proven('smb-vera'),
      properties: smb,
    });
    await respond('outreach-4', { score: 7, comment: 'Нормально', respondent: proven('smb-gleb'), properties: smb });
    // A detractor who only claims an id, one who unsubscribed, one of another plan, and promoters.
    await respond('outreach-5', {
      score: 0,
      comment: 'Доставка ужасная',
      respondent: { id: 'smb-claimed' },
      properties: smb,
    });
    await respond('outreach-6', {
      score: 3,
      comment: 'Delivery is slow',
      respondent: proven('smb-dina'),
      properties: smb,
    });
    await respond('outreach-7', {
      score: 2,
      comment: 'Delivery failed',
      respondent: proven('pro-egor'),
      properties: { plan: 'pro' },
    });
    for (let index = 0; index < 4; index += 1) {
      await respond(`outreach-promoter-${index}`, {
        score: 10,
        comment: 'Отличный сервис',
        respondent: proven(`fan-${index}`),
        properties: smb,
      });
    }
    const unsubscribed = await system.api('/v1/unsubscribes', {
      method: 'POST',
      admin: true,
      json: { personId: 'smb-dina' },
    });
    expect(unsubscribed.status).toBe(200);
    await system.runtime.idle(60_000);
  }, 240_000);
  afterAll(async () => {
    await system?.stop();
  });

  it('ranks delivery first among the drivers: its detractors cost the most points', async () => {
    const drivers = (await getJson(`/v1/metrics/drivers?surveyId=${surveyId}`)) as { topics: Json[] };
    expect(drivers.topics[0]).toMatchObject({ id: 'delivery' });
    expect(drivers.topics[0]?.pointsAtStake).toBeGreaterThan(0);
  });

  it("opens one outreach for the segment's alert, delivered twice: its detractors and passives with proven contact", async () => {
    const today = new Date().toISOString().slice(0, 10);
    await publishOnLocalBus(
      system,
      MetricAlertRaised,
      {
        ...MetricAlertRaised.example,
        alertId: 'alert_e2e_smb',
        surveyId,
        segment: { dimension: 'plan', value: 'smb' },
        current: { from: today, to: today, n: 10, value: -30 },
        raisedAt: new Date().toISOString(),
      },
      { correlationId: 'e2e-outreach', times: 2 },
    );
    await system.runtime.idle(60_000);

    const page = (await getJson(`/v1/followup-outreach?surveyId=${surveyId}`)) as { items: Json[] };
    expect(page.items).toHaveLength(1);
    const [outreach] = page.items as { people: (Json & { reason: string; existingCase: boolean })[]; progress: Json }[];
    expect(outreach).toMatchObject({ segment: { dimension: 'plan', value: 'smb' }, owner: 'cx-team' });
    expect(outreach?.progress).toEqual({ people: 4, contacted: 0, resolved: 0 });

    const people = await Promise.all(
      (outreach?.people ?? []).map(async (person) => ({
        ...person,
        case: await getJson(`/v1/followups/${encodeURIComponent(String(person.caseId))}`),
      })),
    );
    // Newest answer first: Gleb (a passive: a new outreach case), then the detractors on their open detractor cases.
    expect(
      people.map((person) => [(person.case.respondent as Json | undefined)?.id, person.reason, person.existingCase]),
    ).toEqual([
      ['smb-gleb', 'segment_outreach', false],
      ['smb-vera', 'detractor', true],
      ['smb-boris', 'detractor', true],
      ['smb-anna', 'detractor', true],
    ]);
    expect(people[0]?.case).toMatchObject({ status: 'open', owner: 'cx-team', score: 7 });

    // The closed-loop figures count the outreach case.
    const metrics = await getJson('/v1/followup-metrics?reason=segment_outreach');
    expect(metrics).toMatchObject({ cases: 1 });
  });

  it('gives six equal answers a non-zero interval', async () => {
    const created = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Six fives', type: 'nps', timeZone: 'Europe/Moscow' },
    });
    const six = ((await created.json()) as { id: string }).id;
    for (let index = 0; index < 6; index += 1) {
      const posted = await system.api(`/v1/surveys/${six}/responses`, {
        method: 'POST',
        json: { responseId: `six-fives-${index}`, score: 5 },
      });
      expect(posted.status).toBe(201);
    }
    await system.runtime.idle(60_000);
    const figures = (await getJson(`/v1/metrics?surveyId=${six}`)) as {
      n: number;
      nps: number;
      marginOfError: number;
      interval: { lower: number; upper: number };
    };
    expect(figures).toMatchObject({ n: 6, nps: -100 });
    expect(figures.marginOfError).toBeGreaterThan(0);
    expect(figures.interval.upper - figures.interval.lower).toBeGreaterThan(0);
  });
});
