import { describe, expect, it } from 'vitest';
import { messageEnding } from '../src/outbound/deliver';

describe("the sender's MessagesSent and MessagesFailed", () => {
  it('count a message once, when it ends sent or failed', () => {
    expect(messageEnding({ action: 'ack', outcome: 'sent' })).toBe('sent');
    for (const outcome of ['failed', 'not_configured', 'interrupted', 'malformed']) {
      expect(messageEnding({ action: 'ack', outcome })).toBe('failed');
    }
    expect(messageEnding({ action: 'dead_letter', reason: 'HTTP 500' })).toBe('failed');
    expect(messageEnding({ action: 'retry', visibilitySeconds: 1, reason: 'HTTP 500', gaveUp: true })).toBe('failed');
  });

  it('leave out what is still under way, suppressed, or a duplicate of a message already counted', () => {
    for (const outcome of ['suppressed', 'duplicate_sent', 'duplicate_failed']) {
      expect(messageEnding({ action: 'ack', outcome })).toBeUndefined();
    }
    expect(messageEnding({ action: 'retry', visibilitySeconds: 8, reason: 'HTTP 503' })).toBeUndefined();
    expect(messageEnding({ action: 'defer', delaySeconds: 5, deferrals: 1, priorReceives: 0 })).toBeUndefined();
  });
});
