import { describe, expect, it } from 'vitest';
import {
  delightedMetricsQuerySchema,
  emptyHistogram,
  histogramFromScores,
  toDelightedMetrics,
} from '../../src/domain/metrics';

/** An NPS histogram of `promoters` nines, `passives` sevens and `detractors` sixes. */
function nps(promoters: number, passives: number, detractors: number) {
  return histogramFromScores('nps', [
    ...new Array(promoters).fill(9),
    ...new Array(passives).fill(7),
    ...new Array(detractors).fill(6),
  ]);
}

describe('toDelightedMetrics', () => {
  it("reproduces the example response of Delighted's GET /v1/metrics.json", () => {
    // 32/51 = 62.75 % → 63; 13/51 = 25.49 % → 25; 6/51 = 11.76 % → 12; NPS 62.75 − 11.76 = 50.98 → 51
    expect(toDelightedMetrics(nps(32, 13, 6))).toEqual({
      nps: 51,
      promoter_count: 32,
      promoter_percent: 63,
      passive_count: 13,
      passive_percent: 25,
      detractor_count: 6,
      detractor_percent: 12,
      response_count: 51,
    });
  });

  it("reproduces the help centre's example (10 / 5 / 5 → 50 − 25 = 25)", () => {
    expect(toDelightedMetrics(nps(10, 5, 5))).toMatchObject({
      nps: 25,
      promoter_percent: 50,
      passive_percent: 25,
      detractor_percent: 25,
    });
  });

  it('rounds the NPS once from its exact value, not from the rounded percents', () => {
    // 5/9 = 55.56 % → 56; 2/9 = 22.22 % → 22; NPS = 100·(5 − 2)/9 = 33.33 → 33 (56 − 22 would say 34)
    expect(toDelightedMetrics(nps(5, 2, 2))).toMatchObject({
      nps: 33,
      promoter_percent: 56,
      passive_percent: 22,
      detractor_percent: 22,
    });
  });

  it('rounds halves away from zero, so mirrored answers get the mirrored NPS', () => {
    // 1 of 8 = 12.5 % → 13 either way
    expect(toDelightedMetrics(nps(1, 7, 0))).toMatchObject({ nps: 13, promoter_percent: 13, passive_percent: 88 });
    // −12.5 → −13 (Math.round would give −12)
    expect(toDelightedMetrics(nps(0, 7, 1))).toMatchObject({ nps: -13, detractor_percent: 13 });
    // 1 of 40 = 2.5 % → 3; −2.5 → −3
    expect(toDelightedMetrics(nps(0, 39, 1))).toMatchObject({ nps: -3, detractor_percent: 3 });
  });

  it('gives a slightly negative NPS that rounds to zero as 0, not −0', () => {
    // 100·(0 − 1)/400 = −0.25 → 0
    expect(Object.is(toDelightedMetrics(nps(0, 399, 1)).nps, 0)).toBe(true);
  });

  it('lets rounded percents add up to other than 100', () => {
    // 1/3 = 33.33 % → 33, three times: 99
    const metrics = toDelightedMetrics(nps(1, 1, 1));
    expect(metrics.promoter_percent + metrics.passive_percent + metrics.detractor_percent).toBe(99);
  });

  it('answers zeros, never null, without responses', () => {
    expect(toDelightedMetrics(emptyHistogram('nps'))).toEqual({
      nps: 0,
      promoter_count: 0,
      promoter_percent: 0,
      passive_count: 0,
      passive_percent: 0,
      detractor_count: 0,
      detractor_percent: 0,
      response_count: 0,
    });
  });
});

describe('delightedMetricsQuerySchema', () => {
  it('reads since and until as Unix seconds, from a query string or a number', () => {
    expect(delightedMetricsQuerySchema.parse({ since: '1711629837', until: 1711633437, trend: '1234' })).toEqual({
      since: new Date('2024-03-28T12:43:57.000Z'),
      until: new Date('2024-03-28T13:43:57.000Z'),
      trend: '1234',
    });
    expect(delightedMetricsQuerySchema.parse({})).toEqual({});
  });

  it.each([
    ['since after until', { since: '1711633437', until: '1711629837' }],
    ['a date instead of seconds', { since: '2024-03-28' }],
    ['an empty since', { since: '' }],
    ['fractional seconds', { until: 1711633437.5 }],
    ['an empty trend', { trend: '' }],
  ])('rejects %s', (_, query) => {
    expect(delightedMetricsQuerySchema.safeParse(query).success).toBe(false);
  });
});
