import type { EventBridgeEvent } from '@cxloop/local-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provenRespondent } from '../support/respondents';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

type Json = Record<string, unknown>;

/**
 * The hourly schedule of the CDK app, on a clock 500 times faster than AWS's: it fires about seven seconds after the
 * runtime starts, with no event of ours to trigger it.
 */
describe('the scheduled segment watch, through the local runtime', () => {
  let system: TestRuntime;
  let surveyId: string;
  const events: EventBridgeEvent[] = [];

  beforeAll(async () => {
    system = await startTestRuntime({ timeScale: 0.002 });
    system.runtime.onEvent((_bus, event) => {
      events.push(event);
    });
    const created = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Watched NPS', type: 'nps', timeZone: 'Europe/Moscow' },
    });
    const survey = (await created.json()) as { id: string; identitySecret: string };
    surveyId = survey.id;
    const config = await system.api(`/v1/aggregation/surveys/${surveyId}/config`, {
      method: 'PUT',
      admin: true,
      json: { segmentKeys: ['plan'] },
    });
    expect(config.status, await config.clone().text()).toBe(200);
    // 30 of each plan: the fewest a segment needs to be tested, and what one address may post in a minute.
    for (let index = 0; index < 60; index++) {
      const smb = index % 2 === 0;
      const posted = await system.api(`/v1/surveys/${surveyId}/responses`, {
        method: 'POST',
        json: {
          responseId: `segment-watch-${index}`,
          score: smb ? index % 4 : 10,
          comment: smb ? 'Delivery was late again' : 'Great service',
          respondent: provenRespondent(survey.identitySecret, { id: `${smb ? 'smb' : 'pro'}-${index}` }),
          properties: { plan: smb ? 'smb' : 'pro' },
        },
      });
      expect(posted.status, await posted.clone().text()).toBe(201);
    }
    await system.runtime.idle(60_000);
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
  });

  it('raises an alert for the segment below the rest of the survey, and opens the outreach of its detractors', {
    timeout: 120_000,
  }, async () => {
    const schedule = system.runtime.schedules().find((info) => info.name.includes('SegmentWatch'));
    expect(schedule, 'the CDK app schedules the segment watch').toBeDefined();
    const deadline = Date.now() + 45_000;
    let outreach: Json[] = [];
    while (outreach.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const page = await system.api(`/v1/followup-outreach?surveyId=${surveyId}`, { admin: true });
      outreach = ((await page.json()) as { items: Json[] }).items;
    }
    await system.runtime.idle(60_000);

    const alerts = events
      .filter((event) => event['detail-type'] === 'MetricAlertRaised')
      .map((event) => (event.detail as { data: Json }).data);
    expect(alerts).toEqual([
      expect.objectContaining({
        surveyId,
        kind: 'below_rest',
        segment: { dimension: 'plan', value: 'smb' },
        qValue: expect.any(Number),
      }),
    ]);
    expect(outreach).toHaveLength(1);
    expect(outreach[0]).toMatchObject({
      segment: { dimension: 'plan', value: 'smb' },
      progress: { people: 10, contacted: 0, resolved: 0 },
    });
  });
});
