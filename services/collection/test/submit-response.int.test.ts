import { FeedbackReceived } from '@cxloop/events';
import { beforeEach, describe, expect, it } from 'vitest';
import { ipSubject, rateLimits, surveySubject } from '../src/domain/rate-limits';
import { signRespondentEmail, signRespondentId } from '../src/domain/respondents';
import type { ResponseInput } from '../src/domain/responses';
import { createSurveySchema, type Survey } from '../src/domain/surveys';
import { createSurvey, openIdentitySecret } from '../src/use-cases/manage-surveys';
import { type SubmitResponseDeps, submitResponse } from '../src/use-cases/submit-response';
import { answered } from './support/answers';
import { type CollectionTestbed, collectionTestbed, spendQuota } from './support/testbed';

const causation = { correlationId: 'test-correlation' };
const now = new Date('2026-11-20T10:00:00Z');
const clientIp = '203.0.113.7';

describe('submitResponse against DynamoDB Local', () => {
  let bed: CollectionTestbed;
  let deps: SubmitResponseDeps;
  let survey: Survey;
  let identitySecret: string;

  const submit = (input: ResponseInput, options: { deps?: SubmitResponseDeps; at?: Date; ip?: string } = {}) =>
    submitResponse(options.deps ?? deps, {
      surveyId: survey.id,
      input,
      clientIp: options.ip ?? clientIp,
      causation,
      now: options.at ?? now,
    });

  beforeEach(async () => {
    bed = await collectionTestbed();
    deps = { ...bed, identitySecret: (surveyId) => openIdentitySecret(bed, surveyId) };
    ({ survey, identitySecret } = await createSurvey(
      bed,
      createSurveySchema.parse({
        name: 'Checkout NPS',
        timeZone: 'Europe/Moscow',
        followUpQuestions: [
          { id: 'reason', type: 'single_choice', text: { en: 'Why?' }, choices: choices('price', 'speed', 'support') },
          { id: 'liked', type: 'multiple_choice', text: { en: 'What did you like?' }, choices: choices('ui', 'app') },
          { id: 'idea', type: 'text', text: { en: 'One thing to change?', ru: 'Что изменить?' } },
        ],
      }),
      now,
    ));
  });

  it('stores a response once and publishes FeedbackReceived revision 1', async () => {
    const result = await submit({ responseId: 'resp-0001', score: 3 });
    expect(result.outcome).toBe('created');
    const [event] = bed.published;
    expect(event?.contract).toBe(FeedbackReceived);
    const data = bed.feedbackEvents()[0];
    expect(data).toMatchObject({ revision: 1, kind: 'nps', surveyId: survey.id, timeZone: 'Europe/Moscow' });
    expect(data?.score).toMatchObject({ value: 3, min: 0, max: 10, normalised: 0.3 });
  });

  it('is idempotent by responseId: a retried POST changes and publishes nothing', async () => {
    const input = { responseId: 'resp-0002', score: 9 };
    const first = await submit(input);
    const retry = await submit(input);
    expect(retry.outcome).toBe('unchanged');
    expect(retry.response.feedbackId).toBe(first.response.feedbackId);
    expect(bed.published).toHaveLength(1);
  });

  it('takes the score first, then the comment and follow-up answers as revisions of the same response', async () => {
    await submit({ responseId: 'resp-0003', score: 2, respondent: { anonymousId: 'anon-7f3a9c' } });
    const comment = await submit({ responseId: 'resp-0003', comment: 'Курьер опоздал', locale: 'ru-RU' });
    const answers = await submit({
      responseId: 'resp-0003',
      answers: [
        { questionId: 'reason', value: 'speed' },
        { questionId: 'liked', value: ['ui', 'app'] },
      ],
    });

    expect([comment.outcome, answers.outcome]).toEqual(['updated', 'updated']);
    const events = bed.feedbackEvents();
    expect(events.map((event) => event.revision)).toEqual([1, 2, 3]);
    expect(new Set(events.map((event) => event.feedbackId)).size).toBe(1);
    expect(events[2]).toMatchObject({
      score: { value: 2 },
      text: 'Курьер опоздал',
      languageHint: 'ru',
      respondent: { anonymousId: 'anon-7f3a9c', verified: false },
      answers: [
        { questionId: 'liked', type: 'multiple_choice', value: ['app', 'ui'] },
        { questionId: 'reason', type: 'single_choice', value: 'speed' },
      ],
    });
  });

  it('keeps context properties as customer attributes, merged across posts', async () => {
    await submit({
      responseId: 'resp-0004',
      score: 8,
      properties: { plan: 'pro', segment: 'smb' },
      context: { pageUrl: 'https://shop.example.com/checkout' },
    });
    await submit({ responseId: 'resp-0004', properties: { region: 'eu', plan: 'enterprise' } });
    expect(bed.feedbackEvents()[1]?.attributes).toEqual({
      plan: 'enterprise',
      segment: 'smb',
      region: 'eu',
      pageUrl: 'https://shop.example.com/checkout',
    });
  });

  it('needs the score in the first post of a response', async () => {
    await expect(answered(submit({ responseId: 'resp-0005', comment: 'No score' }))).rejects.toMatchObject({
      statusCode: 400,
      message: 'body.score: required in the first post of a response',
    });
  });

  it.each([
    [{ score: 11 }, 'body.score: must be an integer from 0 to 10'],
    [{ score: 5, answers: [{ questionId: 'nope', value: 'x' }] }, 'body.answers.0.questionId'],
    [{ score: 5, answers: [{ questionId: 'reason', value: 'colour' }] }, 'body.answers.0.value'],
    [{ score: 5, answers: [{ questionId: 'liked', value: ['ui', 'ui'] }] }, 'body.answers.0.value'],
    [{ score: 5, answers: [{ questionId: 'idea', value: ['a'] }] }, 'body.answers.0.value'],
  ])('rejects %j naming the field', async (input, field) => {
    await expect(answered(submit({ responseId: 'resp-0006', ...input }))).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining(field),
    });
    expect(bed.published).toEqual([]);
  });

  it('marks a user id signed with the survey identity secret as verified', async () => {
    const respondent = { id: 'customer-42', signature: signRespondentId(identitySecret, 'customer-42') };
    await submit({ responseId: 'resp-0007', score: 10, respondent });
    expect(bed.feedbackEvents()[0]?.respondent).toEqual({ id: 'customer-42', verified: true, emailVerified: false });
  });

  it('publishes an unsigned e-mail address as a claim, and a signed one as proven', async () => {
    await submit({
      responseId: 'resp-0107',
      score: 10,
      respondent: { email: 'victim@example.org', id: 'someone-else' },
    });
    expect(bed.feedbackEvents()[0]?.respondent).toEqual({
      id: 'someone-else',
      email: 'victim@example.org',
      verified: false,
      emailVerified: false,
    });
    const emailSignature = signRespondentEmail(identitySecret, 'anna@example.com');
    await submit({ responseId: 'resp-0108', score: 10, respondent: { email: 'anna@example.com', emailSignature } });
    expect(bed.feedbackEvents()[1]?.respondent).toMatchObject({ email: 'anna@example.com', emailVerified: true });
  });

  it('takes the person an invitation link was made for as proven, whatever the post claims', async () => {
    await submitResponse(deps, {
      surveyId: survey.id,
      input: { responseId: 'resp-0109', score: 2, respondent: { email: 'other@example.org' } },
      invited: { respondentId: 'customer-9', email: 'nine@example.com' },
      clientIp,
      causation,
      now,
    });
    expect(bed.feedbackEvents()[0]?.respondent).toEqual({
      id: 'customer-9',
      email: 'nine@example.com',
      verified: true,
      emailVerified: true,
    });
  });

  it('keeps an unsigned user id as an unverified claim', async () => {
    await submit({ responseId: 'resp-0008', score: 10, respondent: { id: 'customer-42' } });
    expect(bed.feedbackEvents()[0]?.respondent).toEqual({ id: 'customer-42', verified: false, emailVerified: false });
  });

  it('refuses a user id with a signature that does not match (401), storing nothing', async () => {
    const forged = { id: 'customer-42', signature: signRespondentId(identitySecret, 'customer-43') };
    await expect(answered(submit({ responseId: 'resp-0009', score: 10, respondent: forged }))).rejects.toMatchObject({
      statusCode: 401,
      message: 'body.respondent.signature: does not match respondent.id',
    });
    expect(await bed.itemsWithPrefix('RESPONSE#')).toEqual([]);
  });

  it('refuses a later post of the response by another respondent (409)', async () => {
    await submit({ responseId: 'resp-0010', score: 4, respondent: { anonymousId: 'anon-aaaaaaaa' } });
    await expect(
      answered(submit({ responseId: 'resp-0010', comment: 'hijack', respondent: { anonymousId: 'anon-bbbbbbbb' } })),
    ).rejects.toMatchObject({ statusCode: 409, message: expect.stringContaining('body.respondent.anonymousId') });
  });

  it('answers 404 for an unknown survey and 400 for a paused one', async () => {
    await expect(
      answered(submitResponse(deps, { surveyId: 'srv_missing', input: { score: 1 }, clientIp, causation, now })),
    ).rejects.toMatchObject({ statusCode: 404 });
    await bed.surveys.replace(survey, { ...survey, status: 'paused', updatedAt: new Date().toISOString() });
    await expect(answered(submit({ score: 1 }))).rejects.toMatchObject({ statusCode: 400, code: 'survey_paused' });
  });

  it('limits posts per respondent in a fixed window and says when to retry', async () => {
    const respondent = { anonymousId: 'anon-busy-0001' };
    const { limit } = rateLimits.responsesPerRespondent;
    for (let index = 0; index < limit; index++) {
      await submit({ responseId: 'resp-0011', score: 5, respondent, properties: { n: index } });
    }
    const windowEnd = (Math.floor(now.getTime() / 1000 / 3600) + 1) * 3600;
    await expect(answered(submit({ responseId: 'resp-0011', score: 5, respondent }))).rejects.toMatchObject({
      statusCode: 429,
      retryAfterSeconds: windowEnd - now.getTime() / 1000,
    });
    const nextWindow = new Date(windowEnd * 1000);
    await expect(submit({ responseId: 'resp-0011', score: 6, respondent }, { at: nextWindow })).resolves.toMatchObject({
      outcome: 'updated',
    });
  });

  it('limits posts per client address', async () => {
    const { limit } = rateLimits.responsesPerIp;
    await Promise.all(
      Array.from({ length: limit }, (_, index) => submit({ responseId: `resp-ip-${index}00`, score: 5 })),
    );
    await expect(answered(submit({ responseId: 'resp-ip-over', score: 5 }))).rejects.toMatchObject({ statusCode: 429 });
    await expect(submit({ responseId: 'resp-ip-other', score: 5 }, { ip: '198.51.100.9' })).resolves.toMatchObject({
      outcome: 'created',
    });
  });

  it('writes no rate counter for an unknown survey, nor for a paused one', async () => {
    await expect(
      answered(submitResponse(deps, { surveyId: 'srv_flood', input: { score: 1 }, clientIp, causation, now })),
    ).rejects.toMatchObject({ statusCode: 404 });
    await bed.surveys.replace(survey, { ...survey, status: 'paused', updatedAt: new Date().toISOString() });
    await expect(answered(submit({ score: 1 }))).rejects.toMatchObject({ code: 'survey_paused' });
    expect(await bed.itemsWithPrefix('RATE#')).toEqual([]);
  });

  it('counts the client and the survey in windows that expire', async () => {
    await submit({ responseId: 'resp-count', score: 5 });
    const windowStart = Math.floor(now.getTime() / 1000 / 60) * 60;
    const counters = await bed.itemsWithPrefix('RATE#');
    expect(counters.map((item) => item.pk).sort()).toEqual([
      `RATE#responses-ip#${ipSubject(clientIp)}#${windowStart}`,
      `RATE#responses-survey#${surveySubject(survey.id)}#${windowStart}`,
    ]);
    for (const counter of counters) expect(counter).toMatchObject({ hits: 1, expiresAt: windowStart + 60 + 60 });
  });

  it('limits posts per survey, from any address, with a 429 naming the limit', async () => {
    const { limit, windowSeconds } = rateLimits.responsesPerSurvey;
    await spendQuota(bed, rateLimits.responsesPerSurvey, surveySubject(survey.id), now);
    const windowEnd = (Math.floor(now.getTime() / 1000 / windowSeconds) + 1) * windowSeconds;
    await expect(
      answered(submit({ responseId: 'resp-quota', score: 5 }, { ip: '198.51.100.20' })),
    ).rejects.toMatchObject({
      statusCode: 429,
      retryAfterSeconds: windowEnd - now.getTime() / 1000,
      message: expect.stringContaining('responses-survey'),
      details: { limit: 'responses-survey', max: limit, windowSeconds },
    });
    expect(bed.published).toEqual([]);
  });

  it('does not let a client over its own limit spend the survey quota', async () => {
    await spendQuota(bed, rateLimits.responsesPerIp, ipSubject(clientIp), now);
    await expect(answered(submit({ responseId: 'resp-over', score: 5 }))).rejects.toMatchObject({
      details: { limit: 'responses-ip' },
    });
    expect(await bed.itemsWithPrefix(`RATE#responses-survey#`)).toEqual([]);
  });

  it('publishes a revision that a crash left unpublished when the client retries', async () => {
    const failing = { ...deps, publish: async () => Promise.reject(new Error('bus unavailable')) };
    const input = { responseId: 'resp-0012', score: 10 };
    await expect(submit(input, { deps: failing })).rejects.toThrow('bus unavailable');
    await submit(input);
    expect(bed.published).toHaveLength(1);
  });

  it('gives concurrent posts of one response distinct revisions, never a lost update', async () => {
    await Promise.all(
      ['a', 'b', 'c'].map((tag) => submit({ responseId: 'resp-0013', score: 5, properties: { [tag]: true } })),
    );
    const events = bed.feedbackEvents();
    expect(events.map((event) => event.revision).sort()).toEqual([1, 2, 3]);
    expect(events.find((event) => event.revision === 3)?.attributes).toEqual({ a: true, b: true, c: true });
  });
});

function choices(...ids: string[]) {
  return ids.map((id) => ({ id, text: { en: id } }));
}
