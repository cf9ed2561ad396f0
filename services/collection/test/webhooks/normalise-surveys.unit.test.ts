import { describe, expect, it } from 'vitest';
import { type FieldMapping, normaliseWebhook, WebhookPayloadError } from '../../src/domain/webhooks';
import { fixture, integrationId, receivedAt } from './support';

const context = { integrationId, receivedAt };

describe('normaliseWebhook(typeform)', () => {
  const delivery = fixture('typeform/form_response.json');
  type TypeformBody = { form_response: Record<string, unknown> & { answers: Record<string, unknown>[] } };
  const withResponse = (changes: Record<string, unknown>) => {
    const body = structuredClone(delivery.body) as TypeformBody;
    Object.assign(body.form_response, changes);
    return body;
  };

  it('auto-detects an opinion scale as NPS and keeps the answers that describe the experience', () => {
    expect(normaliseWebhook('typeform', { ...context, body: delivery.body, headers: {} })).toEqual({
      kind: 'feedback',
      deliveryId: 'LtWXD3crgy',
      items: [
        {
          externalKey: 'typeform:response:a3a12ec67a1365927098a606107fac15',
          source: 'typeform',
          channel: 'survey_tool',
          integrationId,
          kind: 'nps',
          score: { value: 2, min: 0, max: 10, normalised: 0.2 },
          text: "It's cold right now! I live in an older medium-sized city with a university. Geographically, the area is hilly.",
          answers: [
            {
              questionId: 'DlXFaesGBpoF',
              type: 'text',
              value:
                "It's cold right now! I live in an older medium-sized city with a university. Geographically, the area is hilly.",
            },
            { questionId: 'JwWggjAKtOkA', type: 'text', value: 'Laura' },
            { questionId: 'KoJxDM3c6x8h', type: 'text', value: '2005-10-15' },
            { questionId: 'PNe8ZKBK8C2Q', type: 'multiple_choice', value: ['London', 'Sydney'] },
            { questionId: 'Q7M2XAwY04dW', type: 'number', value: 5 },
            { questionId: 'gFFf3xAkJKsr', type: 'single_choice', value: 'true' },
            { questionId: 'k6TP9oLGgHjl', type: 'single_choice', value: 'London' },
            { questionId: 'RUqkXSeXBXSd', type: 'single_choice', value: 'false' },
            { questionId: 'NRsxU591jIW9', type: 'number', value: 2 },
            { questionId: 'WOTdC00F8A3h', type: 'number', value: 3 },
            { questionId: 'pn48RmPazVdM', type: 'number', value: 4 },
          ],
          respondent: { email: 'laura@example.com', verified: false, emailVerified: false },
          attributes: {},
          externalIds: { form: 'lT4Z3j', response: 'a3a12ec67a1365927098a606107fac15' },
          links: [],
          occurredAt: '2018-01-18T18:17:02.000Z',
        },
      ],
    });
  });

  it('prefers a question of type nps when auto-detecting', () => {
    const body = withResponse({});
    body.form_response.answers.push({ type: 'number', number: 9, field: { id: 'npsQuestion', type: 'nps' } });
    const result = normaliseWebhook('typeform', { ...context, body, headers: {} });
    expect(result.kind === 'feedback' && result.items[0]?.score?.value).toBe(9);
  });

  it('reads the score and comment from the mapped questions, on the mapped scale', () => {
    const mapping: FieldMapping = {
      scoreFieldId: 'WOTdC00F8A3h',
      scale: { kind: 'rating', min: 1, max: 5 },
      commentFieldId: 'JwWggjAKtOkA',
      respondentId: '/form_response/hidden/user_id',
    };
    const body = withResponse({ hidden: { user_id: 'abc123456', plan: 'pro', contact: 'laura@example.com' } });
    const result = normaliseWebhook('typeform', { ...context, body, headers: {}, mapping });
    expect(result).toMatchObject({
      kind: 'feedback',
      items: [
        {
          kind: 'rating',
          score: { value: 3, min: 1, max: 5, normalised: 0.5 },
          text: 'Laura',
          respondent: { id: 'abc123456', email: 'laura@example.com', verified: false, emailVerified: false },
          attributes: { user_id: 'abc123456', plan: 'pro' },
        },
      ],
    });
  });

  it('keeps a response without any score question as text feedback', () => {
    const body = withResponse({
      answers: [{ type: 'text', text: 'Love it', field: { id: 'q1', type: 'long_text' } }],
    });
    expect(normaliseWebhook('typeform', { ...context, body, headers: {} })).toMatchObject({
      kind: 'feedback',
      items: [{ kind: 'text', text: 'Love it' }],
    });
  });

  it('ignores other event types', () => {
    const body = { event_id: 'e-1', event_type: 'form_partial_response', form_response: {} };
    expect(normaliseWebhook('typeform', { ...context, body, headers: {} })).toEqual({
      kind: 'ignored',
      deliveryId: 'e-1',
      reason: 'Typeform event form_partial_response is not feedback',
    });
  });
});

describe('normaliseWebhook(delighted)', () => {
  const updatedDelivery = fixture('delighted/survey_response_updated.json');
  type DelightedBody = { event_type: string; event_id: string; event_data: Record<string, unknown> };
  const updated = updatedDelivery.body as DelightedBody;
  const created: DelightedBody = {
    event_type: 'survey_response.created',
    event_id: 'a1f0c2d4e6b8a1f0c2d4e6b8a1f0c2d4e6b8a1f0c2d4e6b8a1f0c2d4e6b8a1f0',
    event_data: { ...updated.event_data, comment: null, updated_at: updated.event_data.created_at },
  };
  const withData = (changes: Record<string, unknown>): DelightedBody => ({
    ...updated,
    event_data: { ...updated.event_data, ...changes },
  });

  it('normalises an updated NPS response', () => {
    expect(normaliseWebhook('delighted', { ...context, body: updated, headers: {} })).toEqual({
      kind: 'feedback',
      deliveryId: 'b8d057c59327541d7ec2104c0a9a255ad1997fb00831b9c6bbf09561e6d5cbd0',
      items: [
        {
          externalKey: 'delighted:response:5435',
          source: 'delighted',
          channel: 'survey_tool',
          integrationId,
          kind: 'nps',
          score: { value: 9, min: 0, max: 10, normalised: 0.9 },
          text: 'Your service is fast and flawless!',
          answers: [],
          respondent: { id: '5975', email: 'charlie_gravis@example.com', verified: true, emailVerified: true },
          attributes: { delighted_survey_type: 'nps' },
          externalIds: { response: '5435', person: '5975' },
          links: [{ rel: 'response', url: 'https://delighted.com/r/5pFDpmlyC8GUc5oxU6USto5VonSKAqOa' }],
          occurredAt: '2018-01-16T18:58:48.000Z',
        },
      ],
    });
  });

  it('maps created and then updated onto the same response, each under its own delivery id', () => {
    const first = normaliseWebhook('delighted', { ...context, body: created, headers: {} });
    const second = normaliseWebhook('delighted', { ...context, body: updated, headers: {} });
    if (first.kind !== 'feedback' || second.kind !== 'feedback') throw new Error('expected feedback twice');
    expect(first.items[0]?.externalKey).toBe('delighted:response:5435');
    expect(second.items[0]?.externalKey).toBe(first.items[0]?.externalKey);
    expect(first.deliveryId).not.toBe(second.deliveryId);
    expect(first.items[0]?.text).toBeUndefined();
    expect(second.items[0]?.text).toBe('Your service is fast and flawless!');
    expect(first.items[0]?.occurredAt).toBe('2018-01-16T18:48:48.000Z');
  });

  it('keeps additional answers', () => {
    const body = fixture('delighted/survey_response_updated_with_additional_answers.partial.json').body;
    expect(normaliseWebhook('delighted', { ...context, body, headers: {} })).toMatchObject({
      kind: 'feedback',
      items: [
        {
          answers: [{ questionId: 'enum_z9EvYV', type: 'multiple_choice', value: ['Convenience', 'Friendly staff'] }],
          occurredAt: '2024-12-22T01:37:30.000Z',
        },
      ],
    });
  });

  it('keeps custom person properties as attributes, without e-mail addresses', () => {
    const body = withData({ person_properties: { Plan: 'Pro', Seats: 12, 'Billing contact': 'billing@example.com' } });
    const result = normaliseWebhook('delighted', { ...context, body, headers: {} });
    expect(result.kind === 'feedback' && result.items[0]?.attributes).toEqual({
      Plan: 'Pro',
      Seats: 12,
      delighted_survey_type: 'nps',
    });
  });

  it.each([
    ['csat', 4, { kind: 'csat', score: { value: 4, min: 1, max: 5, normalised: 0.75 } }],
    ['ces', 7, { kind: 'ces', score: { value: 7, min: 1, max: 7, normalised: 1 } }],
  ])('normalises a %s response on its scale', (surveyType, score, expected) => {
    const result = normaliseWebhook('delighted', {
      ...context,
      body: withData({ survey_type: surveyType, score }),
      headers: {},
    });
    expect(result).toMatchObject({ kind: 'feedback', items: [expected] });
  });

  it('keeps the score of a survey type without a known scale as an answer, not on a guessed scale', () => {
    const result = normaliseWebhook('delighted', {
      ...context,
      body: withData({ survey_type: 'pmf', score: 2 }),
      headers: {},
    });
    if (result.kind !== 'feedback') throw new Error('expected feedback');
    expect(result.items[0]).toMatchObject({
      kind: 'text',
      answers: [{ questionId: 'pmf_score', type: 'number', value: 2 }],
    });
    expect(result.items[0]?.score).toBeUndefined();
  });

  it('fails on an NPS score above 10', () => {
    expect(() => normaliseWebhook('delighted', { ...context, body: withData({ score: 11 }), headers: {} })).toThrow(
      WebhookPayloadError,
    );
  });

  it('ignores unsubscribe events', () => {
    const body = { event_type: 'unsubscribe.created', event_id: 'u-1', event_data: { person: { id: '5975' } } };
    expect(normaliseWebhook('delighted', { ...context, body, headers: {} })).toEqual({
      kind: 'ignored',
      deliveryId: 'u-1',
      reason: 'Delighted event unsubscribe.created is not feedback',
    });
  });
});

describe('normaliseWebhook(surveymonkey)', () => {
  const delivery = fixture('surveymonkey/response_completed.json');

  it('asks for the response details, since the event carries ids only', () => {
    expect(normaliseWebhook('surveymonkey', { ...context, body: delivery.body, headers: {} })).toEqual({
      kind: 'fetch_required',
      deliveryId: '123456789',
      resource: {
        provider: 'surveymonkey',
        eventType: 'response_completed',
        surveyId: '123456789',
        responseId: '123456',
        collectorId: '123456789',
        detailsPath: '/v3/surveys/123456789/responses/123456/details',
      },
    });
  });

  it('ignores events about unfinished or removed responses', () => {
    const body = { ...(delivery.body as object), event_type: 'response_disqualified' };
    expect(normaliseWebhook('surveymonkey', { ...context, body, headers: {} })).toMatchObject({
      kind: 'ignored',
      deliveryId: '123456789',
    });
  });

  it('fails on a completed response without a survey id', () => {
    const body = { ...(delivery.body as object), resources: {} };
    expect(() => normaliseWebhook('surveymonkey', { ...context, body, headers: {} })).toThrow(WebhookPayloadError);
  });
});
