import { describe, expect, it } from 'vitest';
import { combinationId, DEFAULT_ALERT_RULES, dimensionsOf, surveyConfigSchema } from '../../src/domain/survey-config';

const issuesOf = (input: unknown) => {
  const result = surveyConfigSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
};

describe('survey aggregation config', () => {
  it('defaults to the built-in dimensions and a weekly drop alert', () => {
    const config = surveyConfigSchema.parse({});
    expect(config).toMatchObject({ segmentKeys: [], combinations: [], alertRules: DEFAULT_ALERT_RULES });
    expect(config.segmentWatch.enabled).toBe(true);
    expect(dimensionsOf(config)).toEqual(['all', 'channel', 'source', 'language', 'topic', 'sentiment', 'intent']);
  });

  it('adds segment keys and configured pairs, each pair once whatever its order', () => {
    const config = surveyConfigSchema.parse({ segmentKeys: ['plan'], combinations: [['topic', 'plan']] });
    expect(dimensionsOf(config).slice(-2)).toEqual(['plan', 'plan+topic']);
    expect(combinationId('topic', 'plan')).toBe(combinationId('plan', 'topic'));
  });

  it.each([
    [{ segmentKeys: ['channel'] }, 'segmentKeys.0'],
    [{ segmentKeys: ['all'] }, 'segmentKeys.0'],
    [{ segmentKeys: ['plan', 'plan'] }, 'segmentKeys'],
    [{ segmentKeys: Array.from({ length: 11 }, (_, index) => `k${index}`) }, 'segmentKeys'],
    [{ combinations: [['channel', 'plan']] }, 'combinations.0.1'],
    [{ combinations: [['channel', 'channel']] }, 'combinations.0'],
    [
      {
        combinations: [
          ['channel', 'topic'],
          ['topic', 'channel'],
        ],
      },
      'combinations.1',
    ],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ alertRules: [{ id: 'a' }, { id: 'a' }] }, 'alertRules.1.id'],
    [{ alertRules: [{ id: 'a', segment: { dimension: 'plan', value: 'pro' } }] }, 'alertRules.0.segment.dimension'],
    [{ alertRules: [{ id: 'a', confidence: 1 }] }, 'alertRules.0.confidence'],
  ])('rejects %j at %s', (input, path) => {
    expect(issuesOf(input)).toContain(path);
  });
});
