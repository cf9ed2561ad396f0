import fc from 'fast-check';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  formatWebhookSecret,
  InvalidWebhookSecretError,
  signWebhook,
  webhookSecretKey,
} from '../src/domain/standard-webhooks';

const secret = formatWebhookSecret(Buffer.alloc(32, 7));
const otherSecret = formatWebhookSecret(Buffer.alloc(32, 9));
const now = new Date('2026-11-20T09:15:00.000Z');

describe('signWebhook, checked by the standardwebhooks reference library', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is accepted for any id and body, including non-ASCII text', () => {
    vi.useFakeTimers({ now, toFake: ['Date'] });
    fc.assert(
      fc.property(
        fc.stringMatching(/^msg_[A-Za-z0-9]{1,40}$/),
        fc.string({ unit: 'binary', maxLength: 300 }),
        (id, text) => {
          const body = JSON.stringify({ text });
          const headers = signWebhook({ id, timestamp: now, body, secrets: [secret] });
          expect(new Webhook(secret).verify(body, { ...headers })).toEqual({ text });
        },
      ),
      { numRuns: 30 },
    );
  });

  it('produces the same signature as the reference signer', () => {
    const body = '{"type":"case.opened","data":{"caseId":"case_1","text":"Доставка опоздала"}}';
    const headers = signWebhook({ id: 'msg_1', timestamp: now, body, secrets: [secret] });
    expect(headers).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(now.getTime() / 1000),
      'webhook-signature': new Webhook(secret).sign('msg_1', now, body),
    });
  });

  it('is rejected when the body, the id or the timestamp was changed, or with another secret', () => {
    vi.useFakeTimers({ now, toFake: ['Date'] });
    const body = '{"caseId":"case_1"}';
    const headers = signWebhook({ id: 'msg_1', timestamp: now, body, secrets: [secret] });
    const verifier = new Webhook(secret);
    expect(() => verifier.verify('{"caseId":"case_2"}', { ...headers })).toThrow(WebhookVerificationError);
    expect(() => verifier.verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow(WebhookVerificationError);
    const earlier = String(Number(headers['webhook-timestamp']) - 1);
    expect(() => verifier.verify(body, { ...headers, 'webhook-timestamp': earlier })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(otherSecret).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });

  it('signs with every secret during a rotation, so either one verifies', () => {
    vi.useFakeTimers({ now, toFake: ['Date'] });
    const body = '{}';
    const headers = signWebhook({ id: 'msg_1', timestamp: now, body, secrets: [secret, otherSecret] });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual({});
    expect(new Webhook(otherSecret).verify(body, { ...headers })).toEqual({});
  });

  it('stamps whole seconds', () => {
    const headers = signWebhook({
      id: 'm',
      timestamp: new Date('2026-11-20T09:15:00.999Z'),
      body: '',
      secrets: [secret],
    });
    expect(headers['webhook-timestamp']).toBe(String(now.getTime() / 1000));
  });
});

describe('webhook secrets', () => {
  it('round-trip between the key bytes and the whsec_ form', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, index) => index));
    expect(webhookSecretKey(formatWebhookSecret(key))).toEqual(key);
    expect(formatWebhookSecret(key)).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
  });

  it('refuse what is not base64 or too short or too long', () => {
    expect(() => webhookSecretKey('whsec_not base64!')).toThrow(InvalidWebhookSecretError);
    expect(() => webhookSecretKey(`whsec_${Buffer.alloc(8).toString('base64')}`)).toThrow(InvalidWebhookSecretError);
    expect(() => formatWebhookSecret(Buffer.alloc(65))).toThrow(InvalidWebhookSecretError);
  });
});
