import { describe, expect, it } from 'vitest';
import { multiLabelScores, percentile, sentimentScores } from '../scripts/metrics';

describe('evaluation metrics', () => {
  it('computes accuracy, macro-F1 and SentiRuEval F-macro(pos, neg)', () => {
    const result = sentimentScores([
      { gold: 'positive', predicted: 'positive' },
      { gold: 'positive', predicted: 'neutral' },
      { gold: 'negative', predicted: 'negative' },
      { gold: 'neutral', predicted: 'negative' },
    ]);
    expect(result.accuracy).toBe(0.5);
    expect(result.perClass.positive).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3 });
    expect(result.perClass.negative).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3 });
    expect(result.perClass.neutral.f1).toBe(0);
    expect(result.fMacroPosNeg).toBeCloseTo(2 / 3);
    expect(result.macroF1).toBeCloseTo(4 / 9);
  });

  it('computes multi-label precision and recall', () => {
    const { perLabel, micro } = multiLabelScores(
      [
        { gold: new Set(['a']), predicted: new Set(['a', 'b']) },
        { gold: new Set(['b']), predicted: new Set() },
      ],
      ['a', 'b'],
    );
    expect(perLabel.a).toMatchObject({ precision: 1, recall: 1, support: 1 });
    expect(perLabel.b).toMatchObject({ precision: 0, recall: 0, support: 1 });
    expect(micro).toMatchObject({ precision: 0.5, recall: 0.5 });
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([], 0.5)).toBe(0);
  });
});
