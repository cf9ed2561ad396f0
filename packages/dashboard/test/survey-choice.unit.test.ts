import { describe, expect, it } from 'vitest';
import { initialSurvey } from '../src/survey-choice';

const surveys = [{ id: 'srv_a' }, { id: 'srv_b' }, { id: 'srv_c' }];

describe('initialSurvey', () => {
  it('opens the survey shown last while it is still listed', () => {
    expect(initialSurvey(surveys, 'srv_c', new Map([['srv_b', '2026-11-20T10:00:00.000Z']]))).toBe('srv_c');
  });

  it('else the survey with the most recent answer', () => {
    const newest = new Map([
      ['srv_a', '2026-11-19T10:00:00.000Z'],
      ['srv_b', '2026-11-20T10:00:00.000Z'],
    ]);
    expect(initialSurvey(surveys, 'srv_deleted', newest)).toBe('srv_b');
    expect(initialSurvey(surveys, null, newest)).toBe('srv_b');
  });

  it('else the first listed, and nothing when there is no survey', () => {
    expect(initialSurvey(surveys, null, new Map())).toBe('srv_a');
    expect(initialSurvey([], null, new Map())).toBeUndefined();
  });
});
