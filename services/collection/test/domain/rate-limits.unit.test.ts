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

  it('counts an IPv6 client by its /64 network, however the address is written', () => {
    const network = ipSubject('2001:db8:0:1::1');
    expect(ipSubject('2001:0db8:0000:0001:ffff:ffff:ffff:ffff')).toBe(network);
    expect(ipSubject('2001:DB8:0:1:abcd::7')).toBe(network);
    expect(ipSubject('2001:db8:0:2::1')).not.toBe(network);
    expect(ipSubject('2001:db8:1:1::1')).not.toBe(network);
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(ipSubject('::ffff:203.0.113.7')).toBe(ipSubject('203.0.113.7'));
    expect(ipSubject('::ffff:203.0.113.7')).not.toBe(ipSubject('::ffff:203.0.113.8'));
  });
});
