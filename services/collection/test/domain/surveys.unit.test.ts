import { describe, expect, it } from 'vitest';
import { createSurveySchema, newSurvey, updatedSurvey, updateSurveySchema } from '../../src/domain/surveys';

const now = new Date('2026-11-20T10:00:00Z');

describe('createSurveySchema', () => {
  it('keeps allowed origins as the origins browsers send', () => {
    const input = createSurveySchema.parse({
      name: 'NPS',
      allowedOrigins: ['https://shop.example.com/', 'https://app.example.com:8443/path?q=1'],
    });
    expect(input.allowedOrigins).toEqual(['https://shop.example.com', 'https://app.example.com:8443']);
  });

  it('defaults the question and thank-you text in ru and en', () => {
    const survey = newSurvey(createSurveySchema.parse({ name: 'CES', type: 'ces' }), 'srv_1', now);
    expect(Object.keys(survey.question).sort()).toEqual(['en', 'ru']);
    expect(Object.keys(survey.thankYou).sort()).toEqual(['en', 'ru']);
    expect(survey.throttle).toEqual({ minDaysBetweenAsks: 30, minDaysAfterResponse: 90, sampleRate: 1 });
  });

  it.each([
    [
      {
        followUpQuestions: [
          { id: 'q', type: 'text', text: { en: 'a' } },
          { id: 'q', type: 'text', text: { en: 'b' } },
        ],
      },
      'followUpQuestions',
    ],
    [
      {
        followUpQuestions: [
          { id: 'q', type: 'single_choice', text: { en: 'a' }, choices: [{ id: 'x', text: { en: 'x' } }] },
        ],
      },
      'followUpQuestions.0.choices',
    ],
    [{ question: {} }, 'question'],
    [{ question: { english: 'Hi' } }, 'question.english'],
    [{ allowedOrigins: ['ftp://example.com'] }, 'allowedOrigins.0'],
    [{ throttle: { sampleRate: 2 } }, 'throttle.sampleRate'],
  ])('refuses %j at %s', (fields, path) => {
    const result = createSurveySchema.safeParse({ name: 'NPS', ...fields });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});

describe('updatedSurvey', () => {
  const survey = newSurvey(
    createSurveySchema.parse({ name: 'NPS', throttle: { minDaysBetweenAsks: 7, minDaysAfterResponse: 45 } }),
    'srv_1',
    now,
  );

  it('changes only what the update names, throttle fields included', () => {
    const later = new Date('2026-11-21T00:00:00Z');
    const updated = updatedSurvey(
      survey,
      updateSurveySchema.parse({ throttle: { sampleRate: 0.1 }, status: 'paused' }),
      later,
    );
    expect(updated).toEqual({
      ...survey,
      status: 'paused',
      throttle: { minDaysBetweenAsks: 7, minDaysAfterResponse: 45, sampleRate: 0.1 },
      updatedAt: later.toISOString(),
    });
  });

  it('does not change the survey type', () => {
    expect(updateSurveySchema.safeParse({ type: 'csat' }).success).toBe(false);
  });
});
