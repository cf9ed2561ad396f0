import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { buildDetail, CaseEscalated, CaseOpened, CaseResolved, MetricAlertRaised } from '@cxloop/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provenRespondent } from '../support/respondents';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

type Json = Record<string, unknown>;

interface CaseView {
  caseId: string;
  feedbackId: string;
  status: string;
  owner?: string;
  reason: string;
  dueAt: string;
  respondent?: Json;
  escalations: { level: number; to: Json }[];
  notes: { text: string }[];
  version: number;
}

/** Stands in for Slack's incoming webhooks: records every POST by path. */
async function startSlackReceiver() {
  const posts: { path: string; body: string }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posts.push({ path: request.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    to: (path: string) => posts.filter((post) => post.path === path),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Issue 6, cases area, over HTTP through the local runtime: rules and config through the admin API, a Russian
 * detractor opening a case for the right team with an SLA schedule and a Slack message, first contact disarming the
 * timer, resolution publishing CaseResolved, a shortened SLA escalating twice, and the closed-loop metrics.
 */
describe('follow-up cases through the local runtime', () => {
  let system: TestRuntime;
  let slack: Awaited<ReturnType<typeof startSlackReceiver>>;
  let surveyId: string;
  let identitySecret: string;
  const events: { detailType: string; data: Json }[] = [];
  let calmCase: CaseView;
  let urgentCase: CaseView;

  const get = async <T = Json>(path: string): Promise<T> => {
    const response = await system.api(path, { admin: true });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };
  const send = (method: string, path: string, json: unknown) => system.api(path, { method, admin: true, json });
  const eventsOf = (detailType: string, caseId: string) =>
    events
      .filter((event) => event.detailType === detailType && event.data.caseId === caseId)
      .map((event) => event.data);
  const slaSchedulesOf = (caseId: string) =>
    system.runtime.schedules().filter((schedule) => (schedule.target.input ?? '').includes(`"caseId":"${caseId}"`));

  async function postDetractor(responseId: string, respondent: Json, properties: Json = {}) {
    const posted = await system.api(`/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      json: {
        responseId,
        score: 2,
        comment: 'Доставка опоздала на три дня, курьер не отвечает на звонки.',
        locale: 'ru-RU',
        channel: 'web',
        respondent: provenRespondent(identitySecret, respondent),
        properties,
      },
    });
    expect(posted.status).toBe(201);
    return ((await posted.json()) as { feedbackId: string }).feedbackId;
  }

  beforeAll(async () => {
    system = await startTestRuntime();
    slack = await startSlackReceiver();
    system.runtime.onEvent((_bus, event) => {
      if (event.source !== CaseOpened.source) return;
      events.push({ detailType: event['detail-type'], data: (event.detail as { data: Json }).data });
    });
    const created = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Delivery NPS', type: 'nps', timeZone: 'Europe/Moscow' },
    });
    ({ id: surveyId, identitySecret } = (await created.json()) as { id: string; identitySecret: string });
  });
  afterAll(async () => {
    await slack?.stop();
    await system?.stop();
  });

  it('takes the follow-up config: routing by topic, owners’ Slack targets, two escalation steps, Russian notifications', async () => {
    const channels = await send('PUT', '/v1/followup-channels', {
      slack: {
        targets: {
          'cx-team': `${slack.url}/slack/cx-team`,
          logistics: `${slack.url}/slack/logistics`,
          escalations: `${slack.url}/slack/escalations`,
          leads: `${slack.url}/slack/leads`,
          'cx-alerts': `${slack.url}/slack/cx-alerts`,
        },
        defaultTarget: 'cx-team',
      },
      rateLimits: { slack: 100 },
    });
    expect(channels.status).toBe(200);

    const refused = await send('PUT', '/v1/followup-config', {
      escalation: { steps: [{ afterHoursOverdue: 1, to: { channel: 'sms' } }] },
      owners: { logistics: { email: 'not-an-address' } },
    });
    expect(refused.status).toBe(400);
    const { message } = (await refused.json()) as { message: string };
    expect(message).toContain('body.escalation.steps.0.to');
    expect(message).toContain('body.owners.logistics.email');

    expect(await get('/v1/followup-config')).toMatchObject({ version: 0, routing: { fallbackOwner: 'cx-team' } });
    const config = {
      routing: { fallbackOwner: 'cx-team', topicTeams: { delivery: 'logistics' } },
      owners: { logistics: { slackTarget: 'logistics' }, 'cx-lead': { slackTarget: 'leads' } },
      escalation: {
        steps: [
          { afterHoursOverdue: 0, to: { channel: 'slack', target: 'escalations' } },
          // Three minutes: Scheduler timers never fire sooner than a minute ahead, so the first step comes first.
          { afterHoursOverdue: 0.05, to: { owner: 'cx-lead' } },
        ],
      },
      locale: 'ru',
      alertSlackTarget: 'cx-alerts',
      resurveySurveyId: surveyId,
      caseUrlTemplate: 'https://cx.example.com/dashboard/#/cases/{caseId}',
      expectedVersion: 0,
    };
    const put = await send('PUT', '/v1/followup-config', config);
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ version: 1, locale: 'ru', sla: { defaultHours: 24 } });
    expect((await send('PUT', '/v1/followup-config', config)).status).toBe(409);
  });

  it('versions the rule set: the default first, then a new version checked against the expected one', async () => {
    expect(await get('/v1/followup-rules')).toMatchObject({ version: 1, isDefault: true });
    const rules = [
      {
        id: 'urgent-detractors',
        name: 'Detractors flagged urgent → topic team, first contact within 3.6 s (a test SLA)',
        when: [{ scoreCategories: ['detractor'], attributes: { sla: ['urgent'] } }],
        actions: [{ type: 'open_case', reason: 'detractor', routing: { to: 'topic_team' }, slaHours: 0.001 }],
      },
      {
        id: 'detractors',
        name: 'Detractors → topic team',
        when: [{ scoreCategories: ['detractor'] }],
        actions: [{ type: 'open_case', reason: 'detractor', routing: { to: 'topic_team' } }],
      },
    ];
    const invalid = await send('PUT', '/v1/followup-rules', {
      expectedVersion: 1,
      rules: [{ ...rules[0], actions: [{ type: 'open_case', reason: 'x', routing: { to: 'nowhere' } }] }],
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { message: string }).message).toContain('body.rules.0.actions.0.routing');

    const put = await send('PUT', '/v1/followup-rules', { expectedVersion: 1, rules });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ version: 2, createdBy: expect.any(String) });
    const stale = await send('PUT', '/v1/followup-rules', { expectedVersion: 1, rules });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ details: { currentVersion: 2 } });
    const versions = await get<{ current: number; items: { version: number }[] }>('/v1/followup-rules/versions');
    expect(versions.current).toBe(2);
    expect(versions.items.map((item) => item.version)).toEqual([2, 1]);
  });

  it('opens a case for the delivery team for a Russian detractor, arms its SLA schedule and tells the team on Slack', async () => {
    const feedbackId = await postDetractor('e2e-cases-calm-1', { id: 'cust-1', email: 'ivan@example.com' });
    await system.runtime.idle(30_000);

    const { items } = await get<{ items: CaseView[] }>('/v1/followups?owner=logistics&status=open');
    expect(items).toEqual([
      expect.objectContaining({
        feedbackId,
        owner: 'logistics',
        status: 'open',
        reason: 'detractor',
        respondent: { id: 'cust-1', email: 'ivan@example.com', locale: 'ru-RU' },
      }),
    ]);
    calmCase = await get<CaseView>(`/v1/followups/${items[0]?.caseId}`);
    expect(calmCase.notes).toEqual([]);

    const [schedule, ...more] = slaSchedulesOf(calmCase.caseId);
    expect(more).toEqual([]);
    expect(schedule).toMatchObject({
      actionAfterCompletion: 'DELETE',
      target: { arn: expect.stringContaining('SlaTimer'), deadLetterArn: expect.stringContaining('SlaTimerFailures') },
    });
    expect(JSON.parse(schedule?.target.input ?? '{}')).toMatchObject({
      caseId: calmCase.caseId,
      dueAt: calmCase.dueAt,
      level: 1,
    });
    const wholeSecond = new Date(Math.ceil(Date.parse(calmCase.dueAt) / 1000) * 1000).toISOString();
    expect(schedule?.scheduleExpression).toBe(`at(${wholeSecond.slice(0, 19)})`);

    expect(eventsOf(CaseOpened.detailType, calmCase.caseId)).toEqual([
      expect.objectContaining({ owner: 'logistics', ruleId: 'detractors', dueAt: calmCase.dueAt }),
    ]);
    const [message, ...others] = await waitFor('the Slack message', async () =>
      slack.to('/slack/logistics').length > 0 ? slack.to('/slack/logistics') : undefined,
    );
    expect(others).toEqual([]);
    expect(message?.body).toContain('Новый кейс');
    expect(message?.body).toContain(`https://cx.example.com/dashboard/#/cases/${calmCase.caseId}`);
    expect(message?.body).toContain('Доставка опоздала');
  });

  it('disarms the timer when the customer is contacted before the deadline, and publishes CaseResolved on resolving', async () => {
    const contacted = await send('PATCH', `/v1/followups/${calmCase.caseId}`, {
      action: 'contact',
      note: 'Позвонили клиенту, извинились, вернули стоимость доставки',
      expectedVersion: calmCase.version,
    });
    expect(contacted.status).toBe(200);
    expect(await contacted.json()).toMatchObject({
      status: 'contacted',
      notes: [{ text: expect.stringContaining('Позвонили') }],
    });
    expect(slaSchedulesOf(calmCase.caseId)).toEqual([]);

    const conflict = await send('PATCH', `/v1/followups/${calmCase.caseId}`, {
      action: 'resolve',
      expectedVersion: calmCase.version,
    });
    expect(conflict.status).toBe(409);
    const note = await send('POST', `/v1/followups/${calmCase.caseId}/notes`, { text: 'Клиент доволен решением' });
    expect(note.status).toBe(201);
    expect(((await note.json()) as CaseView).notes).toHaveLength(2);

    const resolved = await send('PATCH', `/v1/followups/${calmCase.caseId}`, { action: 'resolve' });
    expect(resolved.status).toBe(200);
    await system.runtime.idle(30_000);
    expect(eventsOf(CaseResolved.detailType, calmCase.caseId)).toEqual([
      expect.objectContaining({
        status: 'resolved',
        owner: 'logistics',
        respondent: { id: 'cust-1', email: 'ivan@example.com', locale: 'ru-RU' },
        resurveySurveyId: surveyId,
        firstContactAt: expect.any(String),
      }),
    ]);
    expect((await send('PATCH', `/v1/followups/${calmCase.caseId}`, { action: 'resolve' })).status).toBe(200);
    const backwards = await send('PATCH', `/v1/followups/${calmCase.caseId}`, { action: 'acknowledge' });
    expect(backwards.status).toBe(409);
    expect(((await backwards.json()) as { message: string }).message).toBe(
      'A case cannot go from resolved to acknowledged',
    );
    const badBody = await send('PATCH', `/v1/followups/${calmCase.caseId}`, { action: 'assign' });
    expect(badBody.status).toBe(400);
    expect(((await badBody.json()) as { message: string }).message).toContain('body.owner');

    expect(eventsOf(CaseEscalated.detailType, calmCase.caseId)).toEqual([]);
    expect((await get<CaseView>(`/v1/followups/${calmCase.caseId}`)).escalations).toEqual([]);
    expect(eventsOf(CaseResolved.detailType, calmCase.caseId)).toHaveLength(1);
  });

  it('escalates a case whose shortened SLA passes: to the escalation channel, then to a second owner', async () => {
    const feedbackId = await postDetractor('e2e-cases-urgent-1', { id: 'cust-2' }, { sla: 'urgent' });
    const opened = await waitFor('the urgent case', async () => {
      const { items } = await get<{ items: CaseView[] }>('/v1/followups?status=open');
      return items.find((item) => item.feedbackId === feedbackId);
    });
    expect(opened.owner).toBe('logistics');

    urgentCase = await waitFor(
      'two escalations',
      async () => {
        const current = await get<CaseView>(`/v1/followups/${opened.caseId}`);
        return current.escalations.length >= 2 ? current : undefined;
      },
      45_000,
    );
    await system.runtime.idle(30_000);
    expect(urgentCase.escalations).toEqual([
      expect.objectContaining({ level: 1, to: { channel: 'slack', target: 'escalations' } }),
      expect.objectContaining({ level: 2, to: { owner: 'cx-lead' } }),
    ]);
    expect(urgentCase.owner).toBe('cx-lead');
    expect(eventsOf(CaseEscalated.detailType, opened.caseId)).toEqual([
      expect.objectContaining({ level: 1, dueAt: opened.dueAt }),
      expect.objectContaining({ level: 2, owner: 'cx-lead' }),
    ]);
    expect(slaSchedulesOf(opened.caseId)).toEqual([]);

    const escalationMessages = await waitFor('both escalation messages', async () => {
      const sent = [...slack.to('/slack/escalations'), ...slack.to('/slack/leads')];
      return sent.length >= 2 ? sent : undefined;
    });
    expect(escalationMessages.map((post) => post.path)).toEqual(['/slack/escalations', '/slack/leads']);
    for (const post of escalationMessages) expect(post.body).toContain('Кейс просрочен');
  });

  it('lists overdue cases by deadline and reports the closed-loop metrics', async () => {
    const overdue = await get<{ items: CaseView[] }>('/v1/followups?overdue=true');
    expect(overdue.items.map((item) => item.caseId)).toEqual([urgentCase.caseId]);
    expect((await get<{ items: CaseView[] }>('/v1/followups?owner=cx-lead')).items).toHaveLength(1);
    const badCursor = await system.api('/v1/followups?status=open&cursor=bm90LWEtY3Vyc29y', { admin: true });
    expect(badCursor.status).toBe(400);

    const metrics = await get<Json>('/v1/followup-metrics');
    expect(metrics).toMatchObject({
      cases: 2,
      slaSettled: 2,
      contactedWithinSla: 1,
      shareContactedWithinSla: 0.5,
      byOwner: [{ owner: 'cx-lead', open: 1, overdue: 1 }],
    });
    expect(metrics.medianHoursToFirstContact).toEqual(expect.any(Number));
    const refused = await system.api('/v1/followup-metrics?from=2026-02-30', { admin: true });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain('query.from');
  });
  it('tells the alert channel about a metric alert once, however often the alert is delivered', async () => {
    const events = new EventBridgeClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      endpoint: `${system.runtime.awsEndpoint}/events`,
    });
    const detail = buildDetail(
      MetricAlertRaised,
      { ...MetricAlertRaised.example, surveyId },
      { correlationId: 'e2e-alert' },
    );
    const entry = {
      EventBusName: system.runtime.outputs.EventBusName,
      Source: MetricAlertRaised.source,
      DetailType: MetricAlertRaised.detailType,
      Detail: JSON.stringify(detail),
    };
    for (let delivery = 0; delivery < 2; delivery += 1) {
      const put = await events.send(new PutEventsCommand({ Entries: [entry] }));
      expect(put.FailedEntryCount).toBe(0);
    }
    events.destroy();
    await system.runtime.idle(30_000);
    const [alert, ...again] = await waitFor('the alert message', async () =>
      slack.to('/slack/cx-alerts').length > 0 ? slack.to('/slack/cx-alerts') : undefined,
    );
    expect(again).toEqual([]);
    expect(alert?.body).toContain('Оповещение о метрике: NPS снизился на 13.7');
  });
});
