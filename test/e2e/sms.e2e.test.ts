import type { SentSms } from '@cxloop/local-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

interface PeopleAnswer {
  status: 'sent' | 'scheduled' | 'suppressed' | 'saved';
  invitation?: { id: string; channel: string; status: string };
  reason?: string;
}

/** SMS invitations, their short survey links and STOP replies, over HTTP through the local runtime. */
describe('SMS through the local runtime', () => {
  let system: TestRuntime;
  let surveyId: string;

  const invite = async (body: Record<string, unknown>) => {
    const response = await system.api('/v1/people', { method: 'POST', admin: true, json: { surveyId, ...body } });
    return { status: response.status, body: (await response.json()) as PeopleAnswer };
  };
  const textsTo = (number: string): SentSms[] => system.runtime.sms.outbox().filter((sms) => sms.to === number);

  beforeAll(async () => {
    system = await startTestRuntime();
    const survey = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Delivery NPS', type: 'nps', timeZone: 'Europe/Moscow' },
    });
    expect(survey.status).toBe(201);
    ({ id: surveyId } = (await survey.json()) as { id: string });
    // No new-contact delay and no quiet hours, so that an invitation is due now whatever the time of the run.
    const fatigue = await system.api('/v1/followup-fatigue', {
      method: 'PUT',
      admin: true,
      json: { newContactDelayDays: 0, quietHours: null },
    });
    expect(fatigue.status).toBe(200);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('texts an invitation with a short link that opens the survey; a STOP reply suppresses the next one', async () => {
    const invited = await invite({ id: 'customer-42', phone: '+7 999 765-43-21', locale: 'ru-RU', channel: 'sms' });
    expect(invited.status).toBe(202);
    expect(invited.body).toMatchObject({ status: 'sent', invitation: { channel: 'sms' } });

    await system.runtime.idle(30_000);
    const [text, ...more] = textsTo('+79997654321');
    expect(more).toEqual([]);
    expect(text).toMatchObject({
      originationIdentity: expect.stringMatching(/^arn:aws:sms-voice:.+:pool\//),
      messageType: 'TRANSACTIONAL',
    });
    expect(text?.body).toMatch(/^Как у нас дела\? Один вопрос: http:\/\/\S+\/i\/[A-Za-z0-9_-]{22} СТОП - отписка$/);
    const link = /(https?:\/\/\S+\/i\/\S+)/.exec(text?.body ?? '')?.[1] as string;
    expect(link).not.toMatch(/7654321|customer-42/);

    // The short link leads to the hosted survey page through the signed link an e-mail would carry.
    const redirect = await fetch(link, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const signed = redirect.headers.get('location') as string;
    expect(signed).toMatch(new RegExp(`/s/${surveyId}\\?t=[A-Za-z0-9_-]+&lang=ru$`));
    const page = await fetch(signed);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form');
    expect((await fetch(`${link.slice(0, -4)}AAAA`, { redirect: 'manual' })).status).toBe(404);

    const message = await system.api(`/v1/messages?channel=sms`, { admin: true });
    expect(await message.json()).toMatchObject({
      items: [expect.objectContaining({ status: 'sent', channel: 'sms' })],
    });

    // The customer answers STOP: the number is unsubscribed, and a later invitation (under another person key too)
    // is suppressed, with nothing texted.
    system.runtime.sms.receive({ from: '+79997654321', body: 'СТОП' });
    await system.runtime.idle(30_000);
    const unsubscribes = await system.api('/v1/unsubscribes', { admin: true });
    expect(await unsubscribes.json()).toMatchObject({
      items: [expect.objectContaining({ personKey: 'phone:+79997654321', reason: 'unsubscribed', source: 'sms_stop' })],
    });
    const later = await invite({ phone: '+79997654321', channel: 'sms' });
    expect(later).toMatchObject({ status: 200, body: { status: 'suppressed', reason: 'unsubscribed' } });
    await system.runtime.idle(30_000);
    expect(textsTo('+79997654321')).toHaveLength(1);
  });
});
