import { describe, expect, it } from 'vitest';
import { ipSubject, rateWindow, retryAfterSeconds } from '../../src/domain/rate-limits';

const perMinute = { name: 'test', limit: 10, windowSeconds: 60 };

describe('rateWindow', () => {
  it('puts every moment of a minute into the same window', () => {
    const start = rateWindow(perMinute, new Date('2026-11-20T10:00:00.000Z'));
    expect(rateWindow(perMinute, new Date('2026-11-20T10:00:59.999Z'))).toEqual(start);
    expect(rateWindow(perMinute, new Date('2026-11-20T10:01:00.000Z')).startsAt).toBe(start.endsAt);
  });

  it('says how long until the window ends, at least a second', () => {
    const now = new Date('2026-11-20T10:00:45.200Z');
    expect(retryAfterSeconds(rateWindow(perMinute, now), now)).toBe(15);
    const last = new Date('2026-11-20T10:00:59.999Z');
    expect(retryAfterSeconds(rateWindow(perMinute, last), last)).toBe(1);
  });
});

describe('ipSubject', () => {
  it('counts by a digest of the address, not the address', () => {
    expect(ipSubject('203.0.113.7')).toMatch(/^ip:[0-9a-f]{32}$/);
    expect(ipSubject('203.0.113.7')).not.toContain('203.0.113.7');
    expect(ipSubject('203.0.113.7')).not.toBe(ipSubject('203.0.113.8'));
  });
});
