import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, type WebhookProvider, type WebhookRequest } from '../../src/domain/webhooks';
import { type Fixture, fixture, hmac } from './support';

const secret = 'whsec_test_3f9a1c7e5b';
const now = new Date('2026-11-20T09:15:00Z');

interface SignedCase {
  provider: WebhookProvider;
  fixture: string;
  /** The header that carries the signature; removing it must fail verification. */
  signatureHeader: string;
  sign: (rawBody: Buffer, key: string) => Record<string, string>;
}

const signedCases: SignedCase[] = [
  {
    provider: 'zendesk',
    fixture: 'zendesk/trigger_satisfaction_default_template.EXAMPLE.json',
    signatureHeader: 'x-zendesk-webhook-signature',
    sign: (rawBody, key) => {
      const timestamp = now.toISOString();
      return {
        'x-zendesk-webhook-signature-timestamp': timestamp,
        'x-zendesk-webhook-signature': hmac('sha256', key, Buffer.concat([Buffer.from(timestamp), rawBody])).base64,
      };
    },
  },
  {
    provider: 'intercom',
    fixture: 'intercom/conversation_rating_added.ASSEMBLED.json',
    signatureHeader: 'x-hub-signature',
    sign: (rawBody, key) => ({ 'x-hub-signature': `sha1=${hmac('sha1', key, rawBody).hex}` }),
  },
  {
    provider: 'helpscout',
    fixture: 'helpscout/satisfaction_ratings.json',
    signatureHeader: 'x-helpscout-signature',
    sign: (rawBody, key) => ({
      'x-helpscout-signature': hmac('sha1', key, rawBody).base64,
      'x-helpscout-event': 'satisfaction.ratings',
    }),
  },
  {
    provider: 'typeform',
    fixture: 'typeform/form_response.json',
    signatureHeader: 'typeform-signature',
    sign: (rawBody, key) => ({ 'typeform-signature': `sha256=${hmac('sha256', key, rawBody).base64}` }),
  },
  {
    provider: 'delighted',
    fixture: 'delighted/survey_response_updated.json',
    signatureHeader: 'x-delighted-webhook-signature',
    sign: (rawBody, key) => ({ 'x-delighted-webhook-signature': `sha256=${hmac('sha256', key, rawBody).hex}` }),
  },
  {
    provider: 'surveymonkey',
    fixture: 'surveymonkey/response_completed.json',
    signatureHeader: 'sm-signature',
    sign: (rawBody, key) => ({ 'sm-apikey': 'test-api-key', 'sm-signature': hmac('sha1', key, rawBody).base64 }),
  },
];

function request(
  delivery: Fixture,
  headers: Record<string, string | undefined>,
  overrides: Partial<WebhookRequest> = {},
) {
  return { rawBody: delivery.rawBody, headers, query: {}, secret, now, ...overrides };
}

function flipByte(rawBody: Buffer, index: number, value: number): Buffer {
  const changed = Buffer.from(rawBody);
  changed[index] = value;
  return changed;
}

describe.each(signedCases)('verifyWebhook($provider)', ({ provider, fixture: path, signatureHeader, sign }) => {
  const delivery = fixture(path);
  const headers = sign(delivery.rawBody, secret);

  it('accepts the fixture signed with the integration secret', () => {
    expect(verifyWebhook(provider, request(delivery, headers))).toEqual({ ok: true });
  });

  it('rejects an altered body', () => {
    const altered = Buffer.from(delivery.rawBody.toString('utf8').replace(/\d/, (digit) => String((+digit + 1) % 10)));
    expect(verifyWebhook(provider, request({ ...delivery, rawBody: altered }, headers)).ok).toBe(false);
  });

  it('rejects a body signed with another secret', () => {
    const forged = sign(delivery.rawBody, 'another-secret');
    expect(verifyWebhook(provider, request(delivery, forged)).ok).toBe(false);
  });

  it('rejects a delivery without the signature header', () => {
    const result = verifyWebhook(provider, request(delivery, { ...headers, [signatureHeader]: undefined }));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(signatureHeader) });
  });

  it('never puts the secret or the expected signature in the reason', () => {
    const forged = sign(delivery.rawBody, 'another-secret');
    const result = verifyWebhook(provider, request(delivery, forged));
    if (result.ok) throw new Error('expected a rejection');
    expect(result.reason).not.toContain(secret);
    expect(result.reason).not.toContain(headers[signatureHeader]?.replace(/^sha\d+=/, ''));
  });

  it.each([
    ['shorter', 'AA'],
    ['longer', 'A'.repeat(400)],
    ['empty after the prefix', ''],
    ['not in the expected encoding', '!!!~~~'],
  ])('answers a %s signature with a rejection instead of throwing', (_, digest) => {
    const prefix = headers[signatureHeader]?.match(/^sha\d+=/)?.[0] ?? '';
    const result = verifyWebhook(provider, request(delivery, { ...headers, [signatureHeader]: `${prefix}${digest}` }));
    expect(result.ok).toBe(false);
  });

  it('rejects any single-byte change of the body', () => {
    fc.assert(
      fc.property(fc.nat({ max: delivery.rawBody.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, delta) => {
        const changed = flipByte(delivery.rawBody, index, ((delivery.rawBody[index] ?? 0) + delta) % 256);
        return verifyWebhook(provider, request({ ...delivery, rawBody: changed }, headers)).ok === false;
      }),
      { numRuns: 300 },
    );
  });
});

describe('verifyWebhook signature prefixes', () => {
  it.each([
    ['intercom', 'intercom/conversation_rating_added.ASSEMBLED.json', 'x-hub-signature', 'sha1'],
    ['typeform', 'typeform/form_response.json', 'typeform-signature', 'sha256'],
    ['delighted', 'delighted/survey_response_updated.json', 'x-delighted-webhook-signature', 'sha256'],
  ] as const)('%s rejects a correct digest sent without its prefix', (provider, path, header, algorithm) => {
    const delivery = fixture(path);
    const digest = hmac(algorithm, secret, delivery.rawBody);
    const bare = provider === 'typeform' ? digest.base64 : digest.hex;
    expect(verifyWebhook(provider, request(delivery, { [header]: bare })).ok).toBe(false);
  });
});

describe('verifyWebhook(zendesk) timestamp window', () => {
  const delivery = fixture('zendesk/trigger_satisfaction_default_template.EXAMPLE.json');
  const signedAt = (timestamp: string, rawBody = delivery.rawBody) => ({
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': hmac('sha256', secret, Buffer.concat([Buffer.from(timestamp), rawBody])).base64,
  });
  const minutesFromNow = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();

  it.each([-4.9, 4.9])('accepts a signature made %s minutes from now', (minutes) => {
    expect(verifyWebhook('zendesk', request(delivery, signedAt(minutesFromNow(minutes))))).toEqual({ ok: true });
  });

  it.each([-5.1, -60, 5.1, 60])('rejects a correctly signed delivery stamped %s minutes from now', (minutes) => {
    const result = verifyWebhook('zendesk', request(delivery, signedAt(minutesFromNow(minutes))));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('5 minutes') });
  });

  it('rejects a signature replayed under a fresher timestamp', () => {
    const original = signedAt(minutesFromNow(-10));
    const replayed = { ...original, 'x-zendesk-webhook-signature-timestamp': now.toISOString() };
    expect(verifyWebhook('zendesk', request(delivery, replayed)).ok).toBe(false);
  });

  it('rejects a delivery without a timestamp, or with one that is not a date', () => {
    const headers = signedAt(now.toISOString());
    const withoutTimestamp = { ...headers, 'x-zendesk-webhook-signature-timestamp': undefined };
    expect(verifyWebhook('zendesk', request(delivery, withoutTimestamp)).ok).toBe(false);
    const notADate = { ...headers, 'x-zendesk-webhook-signature-timestamp': 'yesterday' };
    expect(verifyWebhook('zendesk', request(delivery, notADate)).ok).toBe(false);
  });

  it('signs an empty body as the timestamp alone', () => {
    const empty = { rawBody: Buffer.alloc(0), body: undefined };
    expect(verifyWebhook('zendesk', request(empty, signedAt(now.toISOString(), empty.rawBody)))).toEqual({ ok: true });
  });
});

describe.each(['trustpilot', 'google_business_profile'] as const)('verifyWebhook(%s) URL token', (provider) => {
  const delivery =
    provider === 'trustpilot'
      ? fixture('trustpilot/service_review_created.json')
      : fixture('google_business_profile/pubsub_push_new_review.ASSEMBLED.json');

  it('accepts the secret as the token query parameter', () => {
    expect(verifyWebhook(provider, request(delivery, {}, { query: { token: secret } }))).toEqual({ ok: true });
  });

  it.each([
    ['missing', undefined],
    ['wrong', 'whsec_test_3f9a1c7e5c'],
    ['a prefix of the secret', secret.slice(0, 5)],
    ['longer than the secret', `${secret}x`],
  ])('rejects a token that is %s', (_, token) => {
    const result = verifyWebhook(provider, request(delivery, {}, { query: { token } }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).not.toContain(secret);
  });
});

describe('verifyWebhook(freshdesk) shared secret', () => {
  const delivery = fixture('freshdesk/customer_feedback_default_template.EXAMPLE.json');
  const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

  it('accepts the secret in the X-Cxloop-Token header', () => {
    expect(verifyWebhook('freshdesk', request(delivery, { 'x-cxloop-token': secret }))).toEqual({ ok: true });
  });

  it('accepts the secret as the HTTP Basic password, whatever the user name', () => {
    expect(verifyWebhook('freshdesk', request(delivery, { authorization: basic(`cxloop:${secret}`) }))).toEqual({
      ok: true,
    });
  });

  it.each([
    ['a wrong token', { 'x-cxloop-token': 'nope' }],
    ['a wrong Basic password', { authorization: basic('cxloop:nope') }],
    ['Basic credentials without a password', { authorization: basic(secret) }],
    ['a bearer token', { authorization: `Bearer ${secret}` }],
    ['no credentials', {}],
  ])('rejects %s', (_, headers) => {
    expect(verifyWebhook('freshdesk', request(delivery, headers)).ok).toBe(false);
  });
});

describe('verifyWebhook without a configured secret', () => {
  it('rejects even a delivery signed with the empty key', () => {
    const delivery = fixture('helpscout/satisfaction_ratings.json');
    const headers = { 'x-helpscout-signature': hmac('sha1', '', delivery.rawBody).base64 };
    expect(verifyWebhook('helpscout', request(delivery, headers, { secret: '' })).ok).toBe(false);
  });
});
