import { describe, expect, it } from 'vitest';
import { bucketEnd, bucketStart, histogramFromScores } from '../../src/domain/metrics';
import { bucketOfLabel, pointsOf } from '../../src/domain/series';

describe('bucketOfLabel', () => {
  it.each([
    ['2026-11-20', 'day', '2026-11-20'],
    ['2026-11-20', 'week', '2026-W47'],
    ['2026-12-31', 'week', '2026-W53'],
    ['2027-01-03', 'week', '2026-W53'],
    ['2026-11-20', 'month', '2026-11'],
    ['2026-11-20T09', 'hour', '2026-11-20T09'],
  ] as const)('%s → %s bucket %s', (label, interval, bucket) => {
    expect(bucketOfLabel(label, interval)).toBe(bucket);
  });
});

describe('pointsOf', () => {
  const timeZone = 'Europe/Berlin';
  const histograms = new Map([
    ['2026-11-08', histogramFromScores('nps', [0, 0])],
    ['2026-11-09', histogramFromScores('nps', [10])],
    ['2026-11-15', histogramFromScores('nps', [9, 9])],
    ['2026-11-16', histogramFromScores('nps', [5])],
    ['2026-11-25', histogramFromScores('nps', [10])],
  ]);

  it('sums days into weeks, cuts the edge weeks to the range and compares each week with the one before', () => {
    const start = bucketStart('2026-11-10', 'day', timeZone);
    const end = bucketEnd('2026-11-25', 'day', timeZone);
    const points = pointsOf(
      {
        scale: 'nps',
        interval: 'week',
        timeZone,
        confidence: 0.95,
        start,
        end,
        current: { first: '2026-11-10', last: '2026-11-25' },
        previous: { first: '2026-10-19', last: '2026-11-08' },
      },
      histograms,
    );
    expect(points.map((point) => [point.bucket, point.responses])).toEqual([
      ['2026-W46', 2],
      ['2026-W47', 1],
      ['2026-W48', 1],
    ]);
    expect(points[0]!.start).toBe(start.toISOString());
    expect(points[2]!.end).toBe(end.toISOString());
    // The week before the first (W45) holds only the 8th: the 9th is outside both periods.
    expect(points[0]!.comparison.delta).toBe(200);
    expect(points[1]!.comparison.delta).toBe(-200);
  });
});
