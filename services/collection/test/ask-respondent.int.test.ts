import { beforeEach, describe, expect, it } from 'vitest';
import { ipSubject, rateLimits, surveySubject } from '../src/domain/rate-limits';
import { signRespondentId } from '../src/domain/respondents';
import { createSurveySchema, type Survey } from '../src/domain/surveys';
import { type AskRespondentDeps, askRespondent } from '../src/use-cases/ask-respondent';
import { createSurvey, openIdentitySecret } from '../src/use-cases/manage-surveys';
import { submitResponse } from '../src/use-cases/submit-response';
import { answered } from './support/answers';
import { type CollectionTestbed, collectionTestbed, spendQuota } from './support/testbed';

const now = new Date('2026-11-20T10:00:00Z');
const day = 24 * 60 * 60 * 1000;
const clientIp = '203.0.113.7';

describe('askRespondent against DynamoDB Local', () => {
  let bed: CollectionTestbed;
  let deps: AskRespondentDeps;
  let survey: Survey;
  let identitySecret: string;
  let draw: number;

  const ask = (respondent: Parameters<typeof askRespondent>[1]['respondent'], at = now) =>
    askRespondent(deps, { surveyId: survey.id, respondent, clientIp, now: at });

  beforeEach(async () => {
    bed = await collectionTestbed();
    draw = 0.5;
    deps = { ...bed, identitySecret: (surveyId) => openIdentitySecret(bed, surveyId), random: () => draw };
    ({ survey, identitySecret } = await createSurvey(
      bed,
      createSurveySchema.parse({
        name: 'In-app NPS',
        throttle: { minDaysBetweenAsks: 7, minDaysAfterResponse: 90, sampleRate: 0.6 },
      }),
      now,
    ));
  });

  it('asks a sampled respondent once, then not again within minDaysBetweenAsks', async () => {
    const respondent = { anonymousId: 'anon-0000001' };
    expect(await ask(respondent)).toEqual({ ask: true });
    expect(await ask(respondent, new Date(now.getTime() + day))).toEqual({
      ask: false,
      reason: 'asked_recently',
      nextAskAt: new Date(now.getTime() + 7 * day).toISOString(),
    });
    expect(await ask(respondent, new Date(now.getTime() + 7 * day))).toEqual({ ask: true });
  });

  it('lets only one of two simultaneous asks through', async () => {
    const respondent = { anonymousId: 'anon-0000002' };
    const decisions = await Promise.all([ask(respondent), ask(respondent), ask(respondent)]);
    expect(decisions.filter((decision) => decision.ask)).toHaveLength(1);
  });

  it('leaves a respondent who answered alone for minDaysAfterResponse', async () => {
    const respondent = { anonymousId: 'anon-0000003' };
    await submitResponse(
      { ...bed, identitySecret: deps.identitySecret },
      { surveyId: survey.id, input: { score: 9, respondent }, clientIp, causation: { correlationId: 'c' }, now },
    );
    expect(await ask(respondent, new Date(now.getTime() + 30 * day))).toMatchObject({
      ask: false,
      reason: 'responded_recently',
      nextAskAt: new Date(now.getTime() + 90 * day).toISOString(),
    });
  });

  it('draws a respondent out of the sample for one ask period, not again on every page view', async () => {
    const respondent = { anonymousId: 'anon-0000004' };
    draw = 0.9;
    expect(await ask(respondent)).toMatchObject({ ask: false, reason: 'not_sampled' });
    draw = 0.1;
    expect(await ask(respondent, new Date(now.getTime() + day))).toMatchObject({
      ask: false,
      reason: 'asked_recently',
    });
  });

  it('counts a verified user across devices, and refuses a forged signature', async () => {
    const signed = { id: 'customer-42', signature: signRespondentId(identitySecret, 'customer-42') };
    expect(await ask({ ...signed, anonymousId: 'device-laptop' })).toEqual({ ask: true });
    expect(await ask({ ...signed, anonymousId: 'device-phone' })).toMatchObject({
      ask: false,
      reason: 'asked_recently',
    });
    await expect(answered(ask({ id: 'customer-42', signature: '0'.repeat(64) }))).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('needs someone to count: an anonymous id or a signed user id', async () => {
    await expect(answered(ask({ id: 'unsigned-user' }))).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('body.respondent'),
    });
  });

  it('writes no rate counter for an unknown survey', async () => {
    await expect(
      answered(
        askRespondent(deps, { surveyId: 'srv_flood', respondent: { anonymousId: 'anon-0000006' }, clientIp, now }),
      ),
    ).rejects.toMatchObject({ statusCode: 404 });
    expect(await bed.itemsWithPrefix('RATE#')).toEqual([]);
  });

  it('limits asks per survey, from any address, with a 429 naming the limit', async () => {
    await spendQuota(bed, rateLimits.asksPerSurvey, surveySubject(survey.id), now);
    await expect(
      answered(
        askRespondent(deps, {
          surveyId: survey.id,
          respondent: { anonymousId: 'anon-0000007' },
          clientIp: '2001:db8::1',
          now,
        }),
      ),
    ).rejects.toMatchObject({ statusCode: 429, details: { limit: 'asks-survey' } });
  });

  it('counts IPv6 clients per /64 network', async () => {
    await spendQuota(bed, rateLimits.asksPerIp, ipSubject('2001:db8:0:1::1'), now);
    const from = (address: string) =>
      askRespondent(deps, { surveyId: survey.id, respondent: { anonymousId: 'anon-0000008' }, clientIp: address, now });
    await expect(answered(from('2001:db8:0:1:ffff:abcd:1234:5678'))).rejects.toMatchObject({
      details: { limit: 'asks-ip' },
    });
    await expect(from('2001:db8:0:2::1')).resolves.toMatchObject({ ask: expect.any(Boolean) });
  });

  it('does not ask for a paused survey', async () => {
    await bed.surveys.replace(survey, { ...survey, status: 'paused', updatedAt: new Date().toISOString() });
    expect(await ask({ anonymousId: 'anon-0000005' })).toEqual({ ask: false, reason: 'survey_paused' });
  });
});
