import { describe, expect, it } from 'vitest';
import {
  applyResponsePatch,
  feedbackFromResponse,
  RespondentMismatchError,
  type ResponseContent,
  ResponseFieldError,
  responseInputSchema,
  responsePatch,
  sameContent,
} from '../../src/domain/responses';
import { createSurveySchema, newSurvey } from '../../src/domain/surveys';

const now = new Date('2026-11-20T10:00:00Z');
const survey = newSurvey(
  createSurveySchema.parse({
    name: 'CSAT',
    type: 'csat',
    followUpQuestions: [
      {
        id: 'topic',
        type: 'multiple_choice',
        text: { en: 'About?' },
        maxChoices: 2,
        choices: ['a', 'b', 'c'].map((id) => ({ id, text: { en: id } })),
      },
    ],
  }),
  'srv_1',
  now,
);
const anonymous = { verified: false, emailVerified: false };
const patch = (input: Record<string, unknown>, respondent: Parameters<typeof responsePatch>[2] = anonymous) =>
  responsePatch(survey, responseInputSchema.parse(input), respondent);

describe('responsePatch', () => {
  it('checks the score against the survey scale (CSAT 1–5)', () => {
    expect(() => patch({ score: 0 })).toThrow(new ResponseFieldError('body.score', 'must be an integer from 1 to 5'));
    expect(patch({ score: 5 }).score).toBe(5);
  });

  it('checks multiple-choice answers: known ids, distinct, at most maxChoices', () => {
    expect(patch({ answers: [{ questionId: 'topic', value: ['c', 'a'] }] }).answers).toEqual([
      { questionId: 'topic', type: 'multiple_choice', value: ['a', 'c'] },
    ]);
    for (const value of [[], ['a', 'b', 'c'], ['a', 'a'], ['z'], 'a']) {
      expect(() => patch({ answers: [{ questionId: 'topic', value }] })).toThrow(
        expect.objectContaining({ field: 'body.answers.0.value' }),
      );
    }
    expect(() =>
      patch({
        answers: [
          { questionId: 'topic', value: ['a'] },
          { questionId: 'topic', value: ['b'] },
        ],
      }),
    ).toThrow('answers each question at most once');
  });

  it('keeps the page URL among the customer attributes', () => {
    expect(
      patch({ properties: { plan: 'pro' }, context: { pageUrl: 'https://shop.example.com/cart' } }).properties,
    ).toEqual({
      plan: 'pro',
      pageUrl: 'https://shop.example.com/cart',
    });
  });
});

describe('applyResponsePatch', () => {
  const first = applyResponsePatch(
    undefined,
    patch({ score: 2 }, { anonymousId: 'anon-1', verified: false, emailVerified: false }),
  );

  it('starts a response with its score, on the web channel unless told otherwise', () => {
    expect(first).toEqual({
      score: 2,
      answers: [],
      channel: 'web',
      respondent: { anonymousId: 'anon-1', verified: false, emailVerified: false },
      properties: {},
    } satisfies ResponseContent);
    expect(() => applyResponsePatch(undefined, patch({ comment: 'hi' }))).toThrow('required in the first post');
  });

  it('adds later posts to what was there', () => {
    const next = applyResponsePatch(
      first,
      patch({ comment: 'Slow', answers: [{ questionId: 'topic', value: ['b'] }] }),
    );
    expect(next).toMatchObject({ score: 2, comment: 'Slow', answers: [{ questionId: 'topic', value: ['b'] }] });
    expect(sameContent(applyResponsePatch(next, patch({ comment: 'Slow' })), next)).toBe(true);
  });

  it('keeps a proven id proven when a later post comes unsigned', () => {
    const signed = applyResponsePatch(
      undefined,
      patch({ score: 4 }, { id: 'u-1', verified: true, emailVerified: false }),
    );
    expect(
      applyResponsePatch(signed, patch({ comment: 'x' }, { id: 'u-1', verified: false, emailVerified: false }))
        .respondent,
    ).toEqual({ id: 'u-1', verified: true, emailVerified: false });
  });

  it('keeps a proven address proven only while the address stays the same', () => {
    const proven = { email: 'anna@example.com', verified: false, emailVerified: true };
    const signed = applyResponsePatch(undefined, patch({ score: 4 }, proven));
    const sameAgain = { email: 'ANNA@example.com', verified: false, emailVerified: false };
    expect(applyResponsePatch(signed, patch({ comment: 'x' }, sameAgain)).respondent.emailVerified).toBe(true);
    const other = { email: 'victim@example.org', verified: false, emailVerified: false };
    expect(applyResponsePatch(signed, patch({ comment: 'x' }, other)).respondent).toMatchObject({
      email: 'victim@example.org',
      emailVerified: false,
    });
  });

  it('refuses a later post by another respondent', () => {
    expect(() =>
      applyResponsePatch(
        first,
        patch({ comment: 'x' }, { anonymousId: 'anon-2', verified: false, emailVerified: false }),
      ),
    ).toThrow(RespondentMismatchError);
  });
});

describe('feedbackFromResponse', () => {
  it('names the source by the channel and keeps the follow-up answers', () => {
    const content = applyResponsePatch(
      undefined,
      patch({ score: 5, channel: 'email', answers: [{ questionId: 'topic', value: ['a'] }] }),
    );
    const feedback = feedbackFromResponse(
      survey,
      {
        surveyId: 'srv_1',
        responseId: 'r-1',
        feedbackId: 'fb_1',
        revision: 1,
        content,
        occurredAt: now.toISOString(),
        updatedAt: now.toISOString(),
      },
      now,
    );
    expect(feedback).toMatchObject({
      source: 'email',
      kind: 'csat',
      score: { value: 5, min: 1, max: 5, normalised: 1 },
      answers: [{ questionId: 'topic', type: 'multiple_choice', value: ['a'] }],
    });
  });
});
