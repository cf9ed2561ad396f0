import { identifierHash } from '@cxloop/privacy';
import { describe, expect, it } from 'vitest';
import {
  askDecision,
  identifyRespondent,
  RespondentSignatureError,
  respondentInputSchema,
  respondentKey,
  signRespondentEmail,
  signRespondentId,
} from '../../src/domain/respondents';
import { createSurveySchema, newSurvey } from '../../src/domain/surveys';

const secret = 'cxs_identity_secret';
const now = new Date('2026-11-20T10:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

describe('identifyRespondent', () => {
  it('verifies an id signed with the identity secret (hex HMAC-SHA256, either case)', () => {
    const signature = signRespondentId(secret, 'user-1');
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(identifyRespondent({ id: 'user-1', signature: signature.toUpperCase() }, secret)).toEqual({
      id: 'user-1',
      verified: true,
      emailVerified: false,
    });
  });

  it('keeps an unsigned id as an unverified claim', () => {
    expect(identifyRespondent({ id: 'user-1', anonymousId: 'anon-12345678' }, undefined)).toEqual({
      id: 'user-1',
      anonymousId: 'anon-12345678',
      verified: false,
      emailVerified: false,
    });
  });

  it('refuses a signature of another id, or one the survey cannot check', () => {
    const other = signRespondentId(secret, 'user-2');
    expect(() => identifyRespondent({ id: 'user-1', signature: other }, secret)).toThrow(RespondentSignatureError);
    expect(() => identifyRespondent({ id: 'user-1', signature: other }, undefined)).toThrow(RespondentSignatureError);
  });

  it('needs the id a signature signs', () => {
    const result = respondentInputSchema.safeParse({ signature: 'a'.repeat(64) });
    expect(result.error?.issues[0]?.path).toEqual(['signature']);
  });

  it('keeps an unsigned e-mail address as a claim, never as proven', () => {
    expect(identifyRespondent({ email: 'victim@example.org', id: 'someone-else' }, secret)).toEqual({
      id: 'someone-else',
      email: 'victim@example.org',
      verified: false,
      emailVerified: false,
    });
  });

  it('proves an e-mail address signed under the e-mail key, whatever its case', () => {
    const emailSignature = signRespondentEmail(secret, 'Anna@Example.com');
    expect(identifyRespondent({ email: 'anna@example.com', emailSignature }, secret)).toEqual({
      email: 'anna@example.com',
      verified: false,
      emailVerified: true,
    });
  });

  it('never takes an id signature for an e-mail signature, even when the id is the address', () => {
    const idSignature = signRespondentId(secret, 'victim@example.org');
    expect(() => identifyRespondent({ email: 'victim@example.org', emailSignature: idSignature }, secret)).toThrow(
      RespondentSignatureError,
    );
  });

  it('names the failing signature: a good id signature with a forged e-mail one is refused', () => {
    const signature = signRespondentId(secret, 'user-1');
    const forged = signRespondentEmail('another-secret', 'victim@example.org');
    try {
      identifyRespondent({ id: 'user-1', signature, email: 'victim@example.org', emailSignature: forged }, secret);
      expect.unreachable();
    } catch (error) {
      expect((error as RespondentSignatureError).field).toBe('emailSignature');
    }
  });

  it('needs the e-mail address an emailSignature signs', () => {
    const result = respondentInputSchema.safeParse({ emailSignature: 'a'.repeat(64) });
    expect(result.error?.issues[0]?.path).toEqual(['emailSignature']);
  });
});

describe('respondentKey', () => {
  it('counts by a verified id, else by the anonymous id, never by an unverified id', () => {
    expect(respondentKey({ id: 'u', verified: true, anonymousId: 'a', emailVerified: false })).toBe(
      `user:${identifierHash('respondentId', 'u')}`,
    );
    expect(respondentKey({ id: 'u', verified: false, anonymousId: 'a', emailVerified: false })).toBe(
      `anon:${identifierHash('respondentId', 'a')}`,
    );
    expect(respondentKey({ id: 'u', verified: false, emailVerified: false })).toBeUndefined();
  });
});

describe('askDecision', () => {
  const survey = newSurvey(
    createSurveySchema.parse({
      name: 'NPS',
      throttle: { minDaysBetweenAsks: 30, minDaysAfterResponse: 90, sampleRate: 0.5 },
    }),
    'srv_1',
    now,
  );

  it.each([
    [{}, 0.2, { ask: true }],
    [{}, 0.5, { ask: false, reason: 'not_sampled', nextAskAt: '2026-12-20T10:00:00.000Z' }],
    [{ lastAskedAt: daysAgo(29) }, 0, { ask: false, reason: 'asked_recently', nextAskAt: '2026-11-21T10:00:00.000Z' }],
    [{ lastAskedAt: daysAgo(30) }, 0, { ask: true }],
    [
      { lastRespondedAt: daysAgo(89), lastAskedAt: daysAgo(89) },
      0,
      { ask: false, reason: 'responded_recently', nextAskAt: '2026-11-21T10:00:00.000Z' },
    ],
    [{ lastRespondedAt: daysAgo(90), lastAskedAt: daysAgo(90) }, 0, { ask: true }],
  ])('state %j with draw %d → %j', (state, draw, decision) => {
    expect(askDecision(survey, state, now, draw)).toEqual(decision);
  });

  it('never asks for a paused survey', () => {
    expect(askDecision({ ...survey, status: 'paused' }, {}, now, 0)).toEqual({ ask: false, reason: 'survey_paused' });
  });
});
