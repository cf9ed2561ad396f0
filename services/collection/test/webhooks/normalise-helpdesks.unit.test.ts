import { describe, expect, it } from 'vitest';
import { type FieldMapping, normaliseWebhook, WebhookPayloadError } from '../../src/domain/webhooks';
import { fixture, integrationId, receivedAt } from './support';

const context = { integrationId, receivedAt };

describe('normaliseWebhook(zendesk)', () => {
  const template = fixture('zendesk/trigger_satisfaction_default_template.EXAMPLE.json');
  const invocation = { 'x-zendesk-webhook-invocation-id': '8350205582' };

  it('reads the default trigger template: legacy good/bad satisfaction on a 1..2 CSAT scale', () => {
    const result = normaliseWebhook('zendesk', { ...context, body: template.body, headers: invocation });
    expect(result).toEqual({
      kind: 'feedback',
      deliveryId: '8350205582',
      items: [
        {
          externalKey: 'zendesk:ticket:35436',
          source: 'zendesk',
          channel: 'helpdesk',
          integrationId,
          kind: 'csat',
          score: { value: 1, min: 1, max: 2, normalised: 0, original: "Bad, I'm unsatisfied" },
          text: 'Nobody answered for three days.',
          languageHint: 'en-US',
          answers: [],
          respondent: {
            id: '20978392',
            email: 'customer@example.com',
            locale: 'en-US',
            verified: true,
            emailVerified: true,
          },
          attributes: {},
          externalIds: { ticket: '35436' },
          links: [],
          occurredAt: '2024-05-25T01:23:00.000Z',
        },
      ],
    });
  });

  it('maps a good rating to the top of the scale', () => {
    const body = { ...(template.body as object), rating: "Good, I'm satisfied" };
    const result = normaliseWebhook('zendesk', { ...context, body, headers: invocation });
    expect(result.kind === 'feedback' && result.items[0]?.score).toEqual({
      value: 2,
      min: 1,
      max: 2,
      normalised: 1,
      original: "Good, I'm satisfied",
    });
  });

  it('falls back to a digest of the body when there is neither a mapped event id nor an invocation id', () => {
    const first = normaliseWebhook('zendesk', { ...context, body: template.body, headers: {} });
    const again = normaliseWebhook('zendesk', { ...context, body: structuredClone(template.body), headers: {} });
    const edited = normaliseWebhook('zendesk', {
      ...context,
      body: { ...(template.body as object), comment: 'Solved after all.' },
      headers: {},
    });
    expect(first.deliveryId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again.deliveryId).toBe(first.deliveryId);
    expect(edited.deliveryId).not.toBe(first.deliveryId);
  });

  it('follows an admin-defined mapping with nested paths, a numeric scale and an event id', () => {
    const mapping: FieldMapping = {
      eventId: '/meta/delivery',
      ticketId: '/ticket/id',
      score: '/csat/score',
      scale: { kind: 'csat', min: 1, max: 5 },
      comment: '/csat/comment',
      respondentEmail: '/ticket/requester~1email',
      locale: '/ticket/locale',
      occurredAt: '/csat/at',
    };
    const body = {
      meta: { delivery: 'evt-42' },
      ticket: { id: 77, 'requester/email': 'ana@example.com', locale: 'pt-BR' },
      csat: { score: '4', comment: 'Resolvido rápido', at: '2026-11-19T10:00:00-03:00' },
    };
    const result = normaliseWebhook('zendesk', { ...context, body, headers: invocation, mapping });
    expect(result).toMatchObject({
      kind: 'feedback',
      deliveryId: 'evt-42',
      items: [
        {
          externalKey: 'zendesk:ticket:77',
          kind: 'csat',
          score: { value: 4, min: 1, max: 5, normalised: 0.75 },
          text: 'Resolvido rápido',
          languageHint: 'pt-BR',
          respondent: { email: 'ana@example.com', locale: 'pt-BR', verified: false, emailVerified: true },
          occurredAt: '2026-11-19T13:00:00.000Z',
        },
      ],
    });
  });

  it('ignores Zendesk event-subscription deliveries, keeping their id', () => {
    const event = fixture('zendesk/event_user_active_changed.json');
    expect(normaliseWebhook('zendesk', { ...context, body: event.body, headers: invocation })).toEqual({
      kind: 'ignored',
      deliveryId: '2b24ef10-19d4-4740-93cf-8f98ec4776c0',
      reason: 'Zendesk event zen:event-type:user.active_changed is not feedback',
    });
  });

  it('ignores a rendered template that has neither score nor comment', () => {
    const body = { ...(template.body as object), rating: '', comment: '' };
    expect(normaliseWebhook('zendesk', { ...context, body, headers: invocation })).toMatchObject({ kind: 'ignored' });
  });

  it('keeps a comment without a score as text feedback', () => {
    const body = { ...(template.body as object), rating: '' };
    const result = normaliseWebhook('zendesk', { ...context, body, headers: invocation });
    expect(result).toMatchObject({
      kind: 'feedback',
      items: [{ kind: 'text', text: 'Nobody answered for three days.' }],
    });
    expect(result.kind === 'feedback' && result.items[0]?.score).toBeUndefined();
  });

  it('drops a requester e-mail that is not an address', () => {
    const body = { ...(template.body as object), requester_email: '' };
    const result = normaliseWebhook('zendesk', { ...context, body, headers: invocation });
    expect(result.kind === 'feedback' && result.items[0]?.respondent).toEqual({
      id: '20978392',
      locale: 'en-US',
      verified: true,
      emailVerified: false,
    });
  });

  it('fails on a rating that is neither a number nor a configured label, without echoing it', () => {
    const body = { ...(template.body as object), rating: 'Offered-secret-value' };
    const attempt = () => normaliseWebhook('zendesk', { ...context, body, headers: invocation });
    expect(attempt).toThrow(WebhookPayloadError);
    expect(attempt).not.toThrow(/Offered-secret-value/);
  });

  it('does not take a label that is only the start of a longer word', () => {
    const body = { ...(template.body as object), rating: 'Goodish' };
    expect(() => normaliseWebhook('zendesk', { ...context, body, headers: invocation })).toThrow(WebhookPayloadError);
  });

  it('fails on a score outside the mapped scale', () => {
    const mapping: FieldMapping = { ticketId: '/t', score: '/s', scale: { kind: 'csat', min: 1, max: 5 } };
    const attempt = () => normaliseWebhook('zendesk', { ...context, body: { t: 1, s: 6 }, headers: {}, mapping });
    expect(attempt).toThrow(/outside its scale/);
  });

  it('fails when the ticket id is missing, because the response would have no identity', () => {
    const body = { ...(template.body as object), ticket_id: '' };
    expect(() => normaliseWebhook('zendesk', { ...context, body, headers: invocation })).toThrow(/ticket id/);
  });
});

describe('normaliseWebhook(freshdesk)', () => {
  it('reads the default automation template: a literal 1–5 score per Observer rule', () => {
    const delivery = fixture('freshdesk/customer_feedback_default_template.EXAMPLE.json');
    const result = normaliseWebhook('freshdesk', { ...context, body: delivery.body, headers: {} });
    expect(result).toEqual({
      kind: 'feedback',
      deliveryId: expect.stringMatching(/^sha256:/),
      items: [
        {
          externalKey: 'freshdesk:ticket:11',
          source: 'freshdesk',
          channel: 'helpdesk',
          integrationId,
          kind: 'csat',
          score: { value: 4, min: 1, max: 5, normalised: 0.75 },
          answers: [],
          respondent: { email: 'requester-bob@example.com', verified: false, emailVerified: false },
          attributes: {},
          externalIds: { ticket: '11' },
          links: [],
          occurredAt: receivedAt.toISOString(),
        },
      ],
    });
  });

  it('reads a differently shaped template through its mapping', () => {
    const delivery = fixture('freshdesk/ticket_created_custom_payload.json');
    const mapping: FieldMapping = {
      ticketId: '/freshdesk_webhook/ticket_id',
      comment: '/freshdesk_webhook/ticket_subject',
      respondentEmail: '/freshdesk_webhook/requester_email',
    };
    const result = normaliseWebhook('freshdesk', { ...context, body: delivery.body, headers: {}, mapping });
    expect(result).toMatchObject({
      kind: 'feedback',
      items: [
        {
          externalKey: 'freshdesk:ticket:11',
          kind: 'text',
          text: 'Test ticket subject ☃',
          respondent: { email: 'requester-bob@example.com', verified: false, emailVerified: false },
        },
      ],
    });
  });

  it('fails loudly when the template does not match the mapping', () => {
    const delivery = fixture('freshdesk/ticket_created_custom_payload.json');
    expect(() => normaliseWebhook('freshdesk', { ...context, body: delivery.body, headers: {} })).toThrow(
      WebhookPayloadError,
    );
  });
});

describe('normaliseWebhook(intercom)', () => {
  it('normalises conversation.rating.added to a 1–5 CSAT on the conversation', () => {
    const delivery = fixture('intercom/conversation_rating_added.ASSEMBLED.json');
    expect(normaliseWebhook('intercom', { ...context, body: delivery.body, headers: {} })).toEqual({
      kind: 'feedback',
      deliveryId: 'notif_8b1c55e2-6f0f-4d7a-9a57-2f6d3c1f0b11',
      items: [
        {
          externalKey: 'intercom:conversation:21321941764',
          source: 'intercom',
          channel: 'helpdesk',
          integrationId,
          kind: 'csat',
          score: { value: 4, min: 1, max: 5, normalised: 0.75 },
          text: 'Quick and friendly, thanks!',
          answers: [],
          respondent: { id: '5c9553cb27e377f24eed49f7', verified: true, emailVerified: false },
          attributes: {},
          externalIds: { conversation: '21321941764' },
          links: [{ rel: 'conversation', url: 'https://app.intercom.io/a/apps/i6wc9ipe/conversations/21321941764' }],
          occurredAt: '2019-03-22T21:40:00.000Z',
        },
      ],
    });
  });

  it('ignores other topics, keeping the notification id', () => {
    const delivery = fixture('intercom/conversation_user_created.json');
    expect(normaliseWebhook('intercom', { ...context, body: delivery.body, headers: {} })).toEqual({
      kind: 'ignored',
      deliveryId: 'notif_3ac27816-d27c-45fd-a65a-bbaf021cf780',
      reason: 'Intercom topic conversation.user.created is not feedback',
    });
  });

  it('acknowledges the ping topic', () => {
    const body = { type: 'notification_event', id: 'notif_ping', topic: 'ping', data: { item: {} } };
    expect(normaliseWebhook('intercom', { ...context, body, headers: {} })).toEqual({
      kind: 'ignored',
      deliveryId: 'notif_ping',
      reason: 'ping acknowledged',
    });
  });

  it('fails on a rating outside 1–5', () => {
    const body = structuredClone(fixture('intercom/conversation_rating_added.ASSEMBLED.json').body) as {
      data: { item: { conversation_rating: { rating: number } } };
    };
    body.data.item.conversation_rating.rating = 6;
    expect(() => normaliseWebhook('intercom', { ...context, body, headers: {} })).toThrow(WebhookPayloadError);
  });
});

describe('normaliseWebhook(helpscout)', () => {
  const delivery = fixture('helpscout/satisfaction_ratings.json');
  const headers = { 'x-helpscout-event': 'satisfaction.ratings' };

  it('normalises a satisfaction rating onto a 3-point scale, keeping the word', () => {
    const result = normaliseWebhook('helpscout', { ...context, body: delivery.body, headers });
    expect(result).toEqual({
      kind: 'feedback',
      deliveryId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      items: [
        {
          externalKey: 'helpscout:rating:5434',
          source: 'helpscout',
          channel: 'helpdesk',
          integrationId,
          kind: 'csat',
          score: { value: 3, min: 1, max: 3, normalised: 1, original: 'Great' },
          text: 'he was really helpful',
          answers: [],
          respondent: { id: '449379', email: 'john.doe@gmail.com', verified: true, emailVerified: true },
          attributes: {},
          externalIds: { rating: '5434', conversation: '1560011', thread: '3002084', mailbox: '1234' },
          links: [],
          occurredAt: '2015-04-14T20:18:33.000Z',
        },
      ],
    });
  });

  it.each([
    ['Okay', 2, 0.5],
    ['Bad', 1, 0],
  ])('maps %s to %s', (rating, value, normalised) => {
    const body = { ...(delivery.body as object), rating };
    const result = normaliseWebhook('helpscout', { ...context, body, headers });
    expect(result.kind === 'feedback' && result.items[0]?.score).toEqual({
      value,
      min: 1,
      max: 3,
      normalised,
      original: rating,
    });
  });

  it('gives a redelivered body the same delivery id', () => {
    const first = normaliseWebhook('helpscout', { ...context, body: delivery.body, headers });
    const again = normaliseWebhook('helpscout', { ...context, body: structuredClone(delivery.body), headers });
    expect(again.deliveryId).toBe(first.deliveryId);
  });

  it('ignores other events', () => {
    const result = normaliseWebhook('helpscout', {
      ...context,
      body: delivery.body,
      headers: { 'x-helpscout-event': 'convo.created' },
    });
    expect(result).toMatchObject({ kind: 'ignored', reason: 'Help Scout event convo.created is not feedback' });
  });

  it('fails on a rating word Help Scout does not send', () => {
    const body = { ...(delivery.body as object), rating: 'Meh' };
    expect(() => normaliseWebhook('helpscout', { ...context, body, headers })).toThrow(WebhookPayloadError);
  });
});
