import { describe, expect, it } from 'vitest';
import {
  addToHistogram,
  checkHistogram,
  emptyHistogram,
  histogramFromScores,
  InvalidMetricInputError,
  isScoreOnScale,
  mergeHistograms,
  responseCount,
  scaleBounds,
} from '../../src/domain/metrics';

describe('emptyHistogram', () => {
  it.each([
    ['nps', 11],
    ['csat', 5],
    ['ces', 7],
  ] as const)('has one zero count per score of %s (%i)', (scale, length) => {
    expect(emptyHistogram(scale)).toEqual(new Array(length).fill(0));
    expect(scaleBounds[scale].max - scaleBounds[scale].min + 1).toBe(length);
  });
});

describe('isScoreOnScale', () => {
  it.each([
    ['nps', 0, true],
    ['nps', 10, true],
    ['nps', 11, false],
    ['nps', -1, false],
    ['nps', 7.5, false],
    ['csat', 0, false],
    ['csat', 1, true],
    ['csat', 5, true],
    ['csat', 6, false],
    ['ces', 7, true],
    ['ces', 8, false],
    ['ces', Number.NaN, false],
  ] as const)('%s %d → %s', (scale, score, expected) => {
    expect(isScoreOnScale(scale, score)).toBe(expected);
  });
});

describe('addToHistogram', () => {
  it('counts the score at index score − min', () => {
    expect(addToHistogram('csat', emptyHistogram('csat'), 1)).toEqual([1, 0, 0, 0, 0]);
    expect(addToHistogram('nps', emptyHistogram('nps'), 0)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(addToHistogram('ces', emptyHistogram('ces'), 7, 3)).toEqual([0, 0, 0, 0, 0, 0, 3]);
  });

  it('leaves the given histogram untouched', () => {
    const before = Object.freeze([0, 1, 0, 0, 0]);
    expect(addToHistogram('csat', before, 2, 1)).toEqual([0, 2, 0, 0, 0]);
    expect(before).toEqual([0, 1, 0, 0, 0]);
  });

  it('takes a revised answer back out with a negative delta', () => {
    expect(addToHistogram('csat', [0, 2, 0, 0, 0], 2, -1)).toEqual([0, 1, 0, 0, 0]);
  });

  it('refuses to take out an answer that was never counted', () => {
    expect(() => addToHistogram('csat', emptyHistogram('csat'), 3, -1)).toThrow(InvalidMetricInputError);
  });

  it.each([11, -1, 2.5, Number.NaN])('refuses the NPS score %d', (score) => {
    expect(() => addToHistogram('nps', emptyHistogram('nps'), score)).toThrow(InvalidMetricInputError);
  });

  it('refuses a fractional delta', () => {
    expect(() => addToHistogram('ces', emptyHistogram('ces'), 3, 0.5)).toThrow(InvalidMetricInputError);
  });
});

describe('mergeHistograms', () => {
  it('adds the counts score by score', () => {
    expect(mergeHistograms('csat', [1, 0, 2, 0, 0], [0, 3, 1, 0, 5], [1, 1, 1, 1, 1])).toEqual([2, 4, 4, 1, 6]);
  });

  it('is the empty histogram when given none', () => {
    expect(mergeHistograms('ces')).toEqual(emptyHistogram('ces'));
  });

  it('refuses a histogram of another scale', () => {
    expect(() => mergeHistograms('csat', [0, 0, 0, 0, 0], emptyHistogram('nps'))).toThrow(InvalidMetricInputError);
  });
});

describe('checkHistogram', () => {
  it('returns a well-formed histogram as it is', () => {
    const histogram = [0, 4, 0, 2, 9];
    expect(checkHistogram('csat', histogram)).toBe(histogram);
  });

  it.each([
    ['too short', [0, 0, 0, 0]],
    ['not an array', { length: 5 }],
    ['a negative count', [0, -1, 0, 0, 0]],
    ['a fractional count', [0, 1.5, 0, 0, 0]],
    ['a string count', [0, '1', 0, 0, 0]],
    ['a NaN count', [0, Number.NaN, 0, 0, 0]],
    ['a total beyond exact integers', [Number.MAX_SAFE_INTEGER, 1, 0, 0, 0]],
  ])('rejects %s', (_, value) => {
    expect(() => checkHistogram('csat', value)).toThrow(InvalidMetricInputError);
  });
});

describe('histogramFromScores', () => {
  it('counts each score of the list', () => {
    const histogram = histogramFromScores('ces', [7, 1, 7, 4]);
    expect(histogram).toEqual([1, 0, 0, 1, 0, 0, 2]);
    expect(responseCount(histogram)).toBe(4);
  });

  it('names the first score that is off the scale', () => {
    expect(() => histogramFromScores('csat', [5, 4, 6])).toThrow(/not 6/);
  });
});
