import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffSeconds,
  outcomeOfHttpStatus,
  outcomeOfRequestError,
  outcomeOfSesError,
  outcomeOfSmsError,
  rateDeferralSeconds,
  rateWindowOf,
  redeliveryPolicy,
  retryAfterSeconds,
  retryDecision,
  safeErrorText,
} from '../src/domain/delivery';
import { InvalidUnsubscribeUrlError, renderEmail } from '../src/domain/messages';
import { OutboundRefusedError } from '../src/domain/url-policy';

const now = new Date('2026-11-20T09:15:00.250Z');

describe('outcomeOfHttpStatus', () => {
  it.each([200, 201, 202, 204])('%i is delivered', (status) => {
    expect(outcomeOfHttpStatus(status, null, now)).toEqual({ kind: 'sent' });
  });

  it.each([408, 425, 429, 500, 502, 503, 504])('%i is transient', (status) => {
    expect(outcomeOfHttpStatus(status, null, now)).toMatchObject({ kind: 'transient', statusCode: status });
  });

  it.each([301, 302, 400, 401, 403, 404, 410, 413, 422])('%i is permanent', (status) => {
    expect(outcomeOfHttpStatus(status, null, now)).toMatchObject({ kind: 'permanent', statusCode: status });
  });

  it('says a redirect was not followed', () => {
    expect(outcomeOfHttpStatus(307, null, now)).toEqual({
      kind: 'permanent',
      error: 'HTTP 307: redirect not followed',
      statusCode: 307,
    });
  });

  it("keeps a 429's Retry-After", () => {
    expect(outcomeOfHttpStatus(429, '30', now)).toEqual({
      kind: 'transient',
      error: 'HTTP 429',
      statusCode: 429,
      retryAfterSeconds: 30,
    });
  });
});

describe('retryAfterSeconds', () => {
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Fri, 20 Nov 2026 09:16:00 GMT', now)).toBe(60);
    expect(retryAfterSeconds('Fri, 20 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
    expect(retryAfterSeconds('', now)).toBeUndefined();
    expect(retryAfterSeconds('99999999', now)).toBe(43_200);
  });
});

describe('outcomeOfRequestError', () => {
  it('treats timeouts and network errors as transient, naming the network error code', () => {
    expect(outcomeOfRequestError(new DOMException('The operation timed out', 'TimeoutError'))).toEqual({
      kind: 'transient',
      error: 'timeout',
    });
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });
    expect(outcomeOfRequestError(refused)).toEqual({ kind: 'transient', error: 'network error ECONNREFUSED' });
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    expect(outcomeOfRequestError(notFound)).toEqual({ kind: 'transient', error: 'network error ENOTFOUND' });
  });

  it('fails a request the outbound URL policy refused for good, with its reason', () => {
    const refusal = new OutboundRefusedError('refused: crm.example.com resolves to a private address (10.0.0.1)');
    expect(outcomeOfRequestError(refusal)).toEqual({
      kind: 'permanent',
      error: 'refused: crm.example.com resolves to a private address (10.0.0.1)',
    });
  });
});

describe('outcomeOfSesError', () => {
  const sesError = (name: string, status?: number) =>
    Object.assign(new Error(name), {
      name,
      ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    });

  it('retries throttling, a paused account, 5xx and network errors', () => {
    expect(outcomeOfSesError(sesError('TooManyRequestsException', 429))).toMatchObject({ kind: 'transient' });
    expect(outcomeOfSesError(sesError('SendingPausedException', 400))).toMatchObject({ kind: 'transient' });
    expect(outcomeOfSesError(sesError('InternalServiceError', 500))).toMatchObject({ kind: 'transient' });
    expect(outcomeOfSesError(sesError('ECONNRESET'))).toMatchObject({ kind: 'transient' });
  });

  it('gives up on rejected messages, unverified senders and bad requests', () => {
    expect(outcomeOfSesError(sesError('MessageRejected', 400))).toEqual({
      kind: 'permanent',
      error: 'SES MessageRejected',
      statusCode: 400,
    });
    expect(outcomeOfSesError(sesError('MailFromDomainNotVerifiedException', 400))).toMatchObject({
      kind: 'permanent',
    });
    expect(outcomeOfSesError(sesError('BadRequestException', 400))).toMatchObject({ kind: 'permanent' });
  });
});

describe('backoffSeconds', () => {
  it('doubles with each receive, between half and all of the step, up to 15 minutes', () => {
    expect(backoffSeconds(1, 0)).toBe(5);
    expect(backoffSeconds(1, 1)).toBe(10);
    expect(backoffSeconds(2, 0)).toBe(10);
    expect(backoffSeconds(3, 1)).toBe(40);
    expect(backoffSeconds(20, 1)).toBe(900);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0, max: 1, noNaN: true }), (receives, random) => {
        const seconds = backoffSeconds(receives, random);
        const step = Math.min(900, 10 * 2 ** (receives - 1));
        expect(seconds).toBeGreaterThanOrEqual(Math.max(1, step / 2));
        expect(seconds).toBeLessThanOrEqual(Math.ceil(step));
      }),
    );
  });

  it('never comes back before the receiver said it may', () => {
    expect(backoffSeconds(1, 0, undefined, 120)).toBe(120);
    expect(backoffSeconds(1, 0, undefined, 99_999)).toBe(43_200);
  });
});

describe('retryDecision', () => {
  it('retries with backoff until the last attempt', () => {
    expect(retryDecision({ attempts: 1, receiveCount: 1, maxAttempts: 8, random: 0 })).toEqual({
      action: 'retry',
      visibilitySeconds: 5,
    });
    expect(retryDecision({ attempts: 3, receiveCount: 3, maxAttempts: 8, random: 0, retryAfterSeconds: 60 })).toEqual({
      action: 'retry',
      visibilitySeconds: 60,
    });
  });

  it('leaves the last one to SQS when SQS counted every receive, else moves it to the DLQ itself', () => {
    expect(retryDecision({ attempts: 8, receiveCount: 8, maxAttempts: 8, random: 0.5 })).toEqual({
      action: 'give_up',
      visibilitySeconds: 1,
    });
    expect(retryDecision({ attempts: 8, receiveCount: 3, maxAttempts: 8, random: 0.5 })).toEqual({
      action: 'dead_letter',
    });
  });
});

describe('rate-limit windows', () => {
  it('counts a send against the epoch second it happens in', () => {
    expect(rateWindowOf(now)).toBe(Math.floor(now.getTime() / 1000));
    expect(rateWindowOf(new Date('2026-11-20T09:15:00.999Z'))).toBe(rateWindowOf(new Date('2026-11-20T09:15:00.000Z')));
  });

  it('defers to a later window over a range that doubles with each deferral, at most 15 minutes', () => {
    expect(rateDeferralSeconds(0, 0, now)).toBe(1);
    expect(rateDeferralSeconds(0, 0.99, now)).toBe(2);
    expect(rateDeferralSeconds(5, 0.99, now)).toBe(33);
    expect(rateDeferralSeconds(30, 1, now)).toBe(900);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (deferrals, random) => {
        const seconds = rateDeferralSeconds(deferrals, random, now);
        expect(seconds).toBeGreaterThanOrEqual(1);
        expect(seconds).toBeLessThanOrEqual(900);
      }),
    );
  });
});

describe('redeliveryPolicy', () => {
  it('sends e-mail and Slack at most once, webhooks at least once, and looks Zendesk tickets up first', () => {
    expect(redeliveryPolicy).toEqual({
      email: 'never',
      slack: 'never',
      webhook: 'resend',
      zendesk: 'lookup',
      sms: 'never',
    });
  });
});

describe('outcomeOfSmsError', () => {
  const error = (name: string, status: number | undefined, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error('x'), { name, ...extra, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });
  it('retries throttling, quotas and 5xx; fails opted-out numbers and bad requests for good, naming the reason', () => {
    expect(outcomeOfSmsError(error('ThrottlingException', 400))).toMatchObject({ kind: 'transient' });
    expect(outcomeOfSmsError(error('InternalServerException', 500))).toMatchObject({ kind: 'transient' });
    expect(outcomeOfSmsError(error('TimeoutError', undefined))).toEqual({
      kind: 'transient',
      error: 'SMS unreachable (TimeoutError)',
    });
    expect(
      outcomeOfSmsError(error('ConflictException', 400, { Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT' })),
    ).toEqual({
      kind: 'permanent',
      error: 'SMS ConflictException DESTINATION_PHONE_NUMBER_OPTED_OUT',
      statusCode: 400,
    });
    expect(outcomeOfSmsError(error('ValidationException', 400, { Reason: '+79991234567' }))).toEqual({
      kind: 'permanent',
      error: 'SMS ValidationException',
      statusCode: 400,
    });
  });
});

describe('safeErrorText', () => {
  it('keeps URLs (they may carry tokens) and addresses out of stored errors', () => {
    const text = safeErrorText(
      'POST https://hooks.slack.com/services/T0/B0/secret failed for ivan.petrov@example.com\n  with  HTTP 500',
    );
    expect(text).toBe('POST <url> failed for <email> with HTTP 500');
    expect(safeErrorText('x'.repeat(400))).toHaveLength(300);
  });
});

describe('renderEmail unsubscribe URLs', () => {
  const render = (unsubscribeUrl: string) => () => renderEmail({ template: 'thank_you', locale: 'en', unsubscribeUrl });

  it('takes HTTPS, and plain HTTP only on loopback (the local runtime serves its API on 127.0.0.1)', () => {
    expect(render('https://api.example.com/u/token')().headers['List-Unsubscribe']).toBe(
      '<https://api.example.com/u/token>',
    );
    expect(render('http://127.0.0.1:3000/u/token')().headers['List-Unsubscribe']).toBe(
      '<http://127.0.0.1:3000/u/token>',
    );
    expect(render('http://localhost:3000/u/token')).not.toThrow();
    expect(render('http://api.example.com/u/token')).toThrow(InvalidUnsubscribeUrlError);
    expect(render('http://127.0.0.1.nip.io/u/token')).toThrow(InvalidUnsubscribeUrlError);
  });
});
