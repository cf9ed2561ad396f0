import { randomBytes } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { buildDetail, CaseResolved } from '@cxloop/events';
import type { SentEmail } from '@cxloop/local-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsubscribeToken } from '../../services/followup/src/domain/messages';
import { provenRespondent } from '../support/respondents';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

interface PeopleAnswer {
  status: 'sent' | 'scheduled' | 'suppressed' | 'saved';
  person: { key: string; email?: string };
  survey_scheduled_at: number | null;
  invitation?: { id: string; status: string; scheduledAt: string };
  reason?: string;
  until?: string;
}

/** Survey invitations, unsubscribes, SES bounces and re-surveys, over HTTP through the local runtime. */
describe('follow-up survey invitations through the local runtime', () => {
  let system: TestRuntime;
  let events: EventBridgeClient;
  let surveyId: string;
  let identitySecret: string;

  const invite = async (body: Record<string, unknown>) => {
    const response = await system.api('/v1/people', { method: 'POST', admin: true, json: { surveyId, ...body } });
    return { status: response.status, body: (await response.json()) as PeopleAnswer };
  };
  const emailsTo = (address: string): SentEmail[] =>
    system.runtime.outbox().filter((mail) => mail.to.includes(address));
  const surveyLinkIn = (mail: SentEmail) => {
    const link = /(https?:\/\/\S+\/s\/\S+)/.exec(mail.text ?? '')?.[1];
    if (!link) throw new Error('no survey link in the e-mail');
    return link;
  };
  const unsubscribeLinkIn = (mail: SentEmail) => {
    const header = mail.headers.find((h) => h.Name.toLowerCase() === 'list-unsubscribe')?.Value ?? '';
    return /^<(.+)>$/.exec(header)?.[1] ?? '';
  };
  const put = async (busName: string, source: string, detailType: string, detail: unknown) => {
    const result = await events.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: busName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }],
      }),
    );
    expect(result.FailedEntryCount).toBe(0);
  };
  const waitFor = async (condition: () => boolean, what: string, timeoutMs = 20_000) => {
    const until = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    system = await startTestRuntime();
    events = new EventBridgeClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      endpoint: `${system.runtime.awsEndpoint}/events`,
    });
    const survey = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Relationship NPS', type: 'nps', timeZone: 'Europe/Moscow' },
    });
    expect(survey.status).toBe(201);
    ({ id: surveyId, identitySecret } = (await survey.json()) as { id: string; identitySecret: string });

    const channels = await system.api('/v1/followup-channels', {
      method: 'PUT',
      admin: true,
      json: { email: { from: 'cx@example.com' } },
    });
    expect(channels.status).toBe(200);
    // No new-contact delay and no quiet hours, so that what is due is due now whatever the time of the run.
    const fatigue = await system.api('/v1/followup-fatigue', {
      method: 'PUT',
      admin: true,
      json: { newContactDelayDays: 0, quietHours: null },
    });
    expect(fatigue.status).toBe(200);
    expect(await fatigue.json()).toMatchObject({ minIntervalDays: 90, newContactDelayDays: 0, quietHours: null });
  });
  afterAll(async () => {
    events?.destroy();
    await system?.stop();
  });

  it('answers 400 naming the field (SMS: see sms.e2e.test.ts)', async () => {
    const noContact = await invite({ name: 'Nobody' });
    expect(noContact.status).toBe(400);
    expect(JSON.stringify(noContact.body)).toContain('body.email');
    const sms = await invite({ phone: '+7999123' });
    expect(sms.status).toBe(400);
    expect(JSON.stringify(sms.body)).toContain('body.phone: a valid phone number in E.164');
    expect((await invite({ phone: '+79991234567', send: false })).body.status).toBe('saved');
  });

  it('sends exactly one invitation for two concurrent requests for one person, with a link that opens the survey', async () => {
    const body = { email: 'anna@example.com', name: 'Анна', locale: 'ru-RU' };
    const answers = await Promise.all([invite(body), invite({ ...body, email: 'Anna@Example.com' })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 202]);
    const winner = answers.find((answer) => answer.status === 202)?.body;
    const loser = answers.find((answer) => answer.status === 200)?.body;
    expect(winner).toMatchObject({ status: 'sent', person: { key: 'email:anna@example.com' } });
    expect(winner?.survey_scheduled_at).toEqual(expect.any(Number));
    expect(loser).toMatchObject({ status: 'suppressed', reason: 'recently_surveyed', survey_scheduled_at: null });

    await system.runtime.idle(30_000);
    const sent = emailsTo('anna@example.com');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ from: 'cx@example.com', subject: 'Как у нас дела? Всего один вопрос' });

    const link = surveyLinkIn(sent[0] as SentEmail);
    // Whoever sees the link (a proxy, the browser history, a referrer) learns nothing of whom it is for.
    expect(link).not.toContain('anna');
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form');
    // The same page refuses a link whose token was tampered with.
    const forged = new URL(link);
    const token = Buffer.from(forged.searchParams.get('t') ?? '', 'base64url');
    token[20] = token[20]! ^ 0x01;
    forged.searchParams.set('t', token.toString('base64url'));
    expect((await fetch(forged)).status).toBe(403);
  });

  it('schedules a delayed invitation, and DELETE …/survey_requests/pending removes the schedule', async () => {
    const scheduled = await invite({ email: 'ben@example.com', delay: 3600 });
    expect(scheduled.status).toBe(202);
    expect(scheduled.body).toMatchObject({ status: 'scheduled', invitation: { status: 'pending' } });
    const invitationId = scheduled.body.invitation?.id as string;
    const schedule = system.runtime.schedules().find((s) => s.name === invitationId);
    expect(schedule).toMatchObject({ actionAfterCompletion: 'DELETE', timezone: 'UTC' });
    expect(schedule?.scheduleExpression).toMatch(/^at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)$/);
    expect(schedule?.target.arn).toContain('InvitationDue');

    const cancel = () =>
      system.api(`/v1/people/${encodeURIComponent('Ben@Example.com')}/survey_requests/pending`, {
        method: 'DELETE',
        admin: true,
      });
    const first = await cancel();
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true, cancelled: [{ id: invitationId, status: 'cancelled' }] });
    expect(system.runtime.schedules().some((s) => s.name === invitationId)).toBe(false);
    expect(await (await cancel()).json()).toMatchObject({ ok: true, cancelled: [] });
    await system.runtime.idle(30_000);
    expect(emailsTo('ben@example.com')).toEqual([]);
  });

  it('sends a delayed invitation when its schedule fires', async () => {
    const scheduled = await invite({ email: 'cleo@example.com', delay: 60 });
    expect(scheduled.body.status).toBe('scheduled');
    const invitationId = scheduled.body.invitation?.id as string;
    await waitFor(() => !system.runtime.schedules().some((s) => s.name === invitationId), 'the schedule to fire');
    await system.runtime.idle(30_000);
    expect(emailsTo('cleo@example.com')).toHaveLength(1);
  });

  it('unsubscribes with one click (RFC 8058): nothing is sent to that person afterwards', async () => {
    const [invitation] = emailsTo('anna@example.com');
    const link = unsubscribeLinkIn(invitation as SentEmail);
    expect(link).toMatch(/\/u\/[^/]+$/);
    expect(link).not.toContain('anna');

    const confirm = await fetch(link, { headers: { 'accept-language': 'ru-RU,ru' } });
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('Отписаться');
    const tampered = await fetch(`${link.slice(0, -3)}xyz`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(tampered.status).toBe(400);
    const forged = `${link.slice(0, link.lastIndexOf('/') + 1)}${unsubscribeToken('email:anna@example.com', randomBytes(32))}`;
    expect((await fetch(forged)).status).toBe(400);

    const oneClick = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);

    const listed = await system.api('/v1/unsubscribes', { admin: true });
    expect((await listed.json()) as { items: unknown[] }).toMatchObject({
      items: expect.arrayContaining([
        expect.objectContaining({
          personKey: 'email:anna@example.com',
          reason: 'unsubscribed',
          email: 'anna@example.com',
        }),
      ]),
    });
    const again = await invite({ email: 'anna@example.com', locale: 'ru-RU' });
    expect(again).toMatchObject({ status: 200, body: { status: 'suppressed', reason: 'unsubscribed' } });
    await system.runtime.idle(30_000);
    expect(emailsTo('anna@example.com')).toHaveLength(1);
  });

  it('suppresses an address that bounced permanently (SES event on the default bus)', async () => {
    await put('default', 'aws.ses', 'Email Bounced', {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: 'dora@example.com', action: 'failed', status: '5.1.1' }],
        timestamp: new Date().toISOString(),
        feedbackId: 'e2e-bounce-1',
      },
      mail: { messageId: 'e2e-message-1', destination: ['dora@example.com'] },
    });
    await system.runtime.idle(30_000);
    const listed = await system.api('/v1/unsubscribes?reason=bounced', { admin: true });
    expect(await listed.json()).toMatchObject({
      items: [{ personKey: 'email:dora@example.com', reason: 'bounced', source: 'ses:e2e-bounce-1' }],
    });
    expect((await invite({ email: 'dora@example.com' })).body).toMatchObject({
      status: 'suppressed',
      reason: 'bounced',
    });
  });

  it('resolving a case opened for a detractor sends the customer the re-survey', async () => {
    const config = await system.api('/v1/followup-config', {
      method: 'PUT',
      admin: true,
      json: { resurveySurveyId: surveyId },
    });
    expect(config.status).toBe(200);
    const response = await system.api(`/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      json: {
        responseId: 'e2e-invitations-0001',
        score: 2,
        comment: 'Заказ потеряли, поддержка не отвечает уже неделю.',
        respondent: provenRespondent(identitySecret, { email: 'fred@example.com' }),
        locale: 'ru-RU',
      },
    });
    expect(response.status).toBe(201);
    const { feedbackId } = (await response.json()) as { feedbackId: string };
    await system.runtime.idle(30_000);

    const open = (await (await system.api('/v1/followups?status=open', { admin: true })).json()) as {
      items: { caseId: string; feedbackId: string }[];
    };
    const opened = open.items.find((item) => item.feedbackId === feedbackId);
    expect(opened).toBeDefined();
    expect(emailsTo('fred@example.com')).toEqual([]);

    // A case is resolved only after the customer was contacted.
    for (const action of ['contact', 'resolve']) {
      const patched = await system.api(`/v1/followups/${opened?.caseId}`, {
        method: 'PATCH',
        admin: true,
        json: { action },
      });
      expect(patched.status).toBe(200);
    }
    await system.runtime.idle(30_000);
    const sent = emailsTo('fred@example.com');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toBe('Удалось ли решить вашу проблему?');
    expect((await fetch(surveyLinkIn(sent[0] as SentEmail))).status).toBe(200);
  });

  it('re-surveys the customer of a resolved case once, even when CaseResolved arrives twice', async () => {
    const resolved = (email: string, caseId: string) =>
      buildDetail(
        CaseResolved,
        {
          ...CaseResolved.example,
          caseId,
          respondent: { email, locale: 'en-GB' },
          resurveySurveyId: surveyId,
          resolvedAt: new Date().toISOString(),
        },
        { correlationId: `e2e-${caseId}` },
      );
    const bus = system.runtime.outputs.EventBusName as string;
    for (let delivery = 0; delivery < 2; delivery++) {
      await put(bus, CaseResolved.source, CaseResolved.detailType, resolved('eve@example.com', 'case_e2e_1'));
      await system.runtime.idle(30_000);
    }
    const sent = emailsTo('eve@example.com');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toBe('Did we solve your problem?');
    expect((await fetch(surveyLinkIn(sent[0] as SentEmail))).status).toBe(200);

    // The unsubscribed customer is not re-surveyed.
    await put(bus, CaseResolved.source, CaseResolved.detailType, resolved('anna@example.com', 'case_e2e_2'));
    await system.runtime.idle(30_000);
    expect(emailsTo('anna@example.com')).toHaveLength(1);
  });
});
