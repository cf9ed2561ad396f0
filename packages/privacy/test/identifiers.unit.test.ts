import { describe, expect, it } from 'vitest';
import { feedbackRetainUntil, feedbackTtl, identifierHash, personIdentifiers, ttlOf } from '../src';

describe('person identifiers', () => {
  it('hashes e-mail addresses case- and space-insensitively, and never shows the address', () => {
    const hash = identifierHash('email', ' Anna@Example.COM ');
    expect(hash).toBe(identifierHash('email', 'anna@example.com'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('anna');
  });

  it('keeps kinds apart: the same text as an id and as an e-mail hashes differently', () => {
    expect(identifierHash('respondentId', 'anna@example.com')).not.toBe(identifierHash('email', 'anna@example.com'));
  });

  it('normalises phone numbers to digits and the plus sign', () => {
    expect(identifierHash('phone', '+7 (999) 123-45-67')).toBe(identifierHash('phone', '+79991234567'));
  });

  it('lists every identifier a subject has', () => {
    expect(personIdentifiers({ respondentId: 'u-1', email: 'a@b.co' }).map((identifier) => identifier.kind)).toEqual([
      'respondentId',
      'email',
    ]);
    expect(personIdentifiers({})).toEqual([]);
  });
});

describe('retention', () => {
  it('stamps feedback with the ends of its text and its contact details', () => {
    const ends = feedbackRetainUntil(
      { feedbackTextDays: 10, contactDetailsDays: 2, messagesDays: 1, casesDays: 1 },
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(ends).toEqual({ text: '2026-01-11T00:00:00.000Z', contact: '2026-01-03T00:00:00.000Z' });
    expect(feedbackTtl({ retainUntil: ends, receivedAt: '2026-01-01T00:00:00Z' })).toBe(
      Date.parse('2026-01-03T00:00:00Z') / 1000,
    );
  });

  it('gives feedback without a stamp the default end of life', () => {
    const ttl = feedbackTtl({ receivedAt: '2026-01-01T00:00:00Z' });
    expect(ttl).toBe(Date.parse('2028-01-01T00:00:00Z') / 1000);
  });

  it('takes the earliest end', () => {
    expect(ttlOf('2026-01-02T00:00:00Z', undefined, new Date('2026-01-01T00:00:00Z'))).toBe(
      Date.parse('2026-01-01T00:00:00Z') / 1000,
    );
    expect(ttlOf()).toBeUndefined();
  });
});
