import { parseOrBadRequest } from '@cxloop/lambda-kit';
import { defaultRetentionPolicy } from '@cxloop/privacy';
import { describe, expect, it } from 'vitest';
import {
  feedbackEndOfLife,
  isRepeatOfPolicyInForce,
  respondentStateExpiresAt,
  retentionNotes,
  retentionPolicyUpdateSchema,
} from '../../src/domain/retention';

const receivedAt = new Date('2026-12-07T10:00:00Z');
const policy = { feedbackTextDays: 365, contactDetailsDays: 30, messagesDays: 400, casesDays: 1095 };

describe('feedbackEndOfLife', () => {
  it('stamps the text and contact ends from when the feedback was received, and expires its item at the earlier', () => {
    const { retainUntil, expiresAt } = feedbackEndOfLife(policy, receivedAt);
    expect(retainUntil).toEqual({ text: '2027-12-07T10:00:00.000Z', contact: '2027-01-06T10:00:00.000Z' });
    expect(expiresAt).toBe(Date.parse('2027-01-06T10:00:00Z') / 1000);
  });
});

describe('respondentStateExpiresAt', () => {
  it('keeps the record of an ask or answer for the contact-details period after now', () => {
    expect(respondentStateExpiresAt(policy, receivedAt)).toBe(Date.parse('2027-01-06T10:00:00Z') / 1000);
  });
});

describe('isRepeatOfPolicyInForce', () => {
  it('is true only for the stored policy sent again, whatever the key order', () => {
    const stored = { policy, version: 3 };
    const reordered = { casesDays: 1095, messagesDays: 400, contactDetailsDays: 30, feedbackTextDays: 365 };
    expect(isRepeatOfPolicyInForce(stored, reordered)).toBe(true);
    expect(isRepeatOfPolicyInForce(stored, { ...policy, casesDays: 1000 })).toBe(false);
  });

  it('is false while the defaults apply, so storing them makes them an explicit version', () => {
    expect(isRepeatOfPolicyInForce({ policy: defaultRetentionPolicy, version: 0 }, defaultRetentionPolicy)).toBe(false);
  });
});

describe('retentionPolicyUpdateSchema', () => {
  it('takes the whole policy with an optional expected version', () => {
    expect(retentionPolicyUpdateSchema.parse({ ...policy, expectedVersion: 0 })).toEqual({
      ...policy,
      expectedVersion: 0,
    });
  });

  it('names each field it refuses', () => {
    const { contactDetailsDays: _missing, ...partial } = policy;
    expect(() => parseOrBadRequest(retentionPolicyUpdateSchema, { ...partial, casesDays: 0 }, 'body')).toThrow(
      expect.objectContaining({
        issues: [
          expect.objectContaining({ field: 'body.contactDetailsDays' }),
          expect.objectContaining({ field: 'body.casesDays' }),
        ],
      }),
    );
  });
});

describe('retentionNotes', () => {
  it('says what every duration covers, what a change applies to, and that scores stay', () => {
    for (const name of Object.keys(policy)) {
      expect(retentionNotes[name as keyof typeof policy]).toMatch(/\w{3,}/);
    }
    expect(retentionNotes.scores).toMatch(/histograms/);
    expect(retentionNotes.appliesTo).toMatch(/received from now on/);
  });
});
