import {
  type BucketInterval,
  bucketEnd,
  bucketKey,
  bucketKeysBetween,
  bucketStart,
  comparePeriods,
  emptyHistogram,
  type Histogram,
  mergeHistograms,
  metricsFor,
  type PeriodComparison,
  type ScaleMetrics,
  type ScoreScale,
} from './metrics';

/**
 * Metric series from stored cells. Cells hold day buckets (and hour buckets for the whole survey), labelled in the
 * survey's time zone; a week or month is the sum of its days, so reading a range costs one item per day however many
 * responses it holds.
 */

/** A histogram per cell label: `2026-11-20` (day cells) or `2026-11-20T09` (hour cells). */
export type LabelledHistograms = ReadonlyMap<string, Histogram>;

/** Which cells a series is summed from: hour cells for hourly points, day cells otherwise. */
export const cellIntervalFor = (interval: BucketInterval | undefined): 'day' | 'hour' =>
  interval === 'hour' ? 'hour' : 'day';

/** The bucket a cell's label falls in. Calendar labels do not depend on the time zone, so UTC reads them. */
export function bucketOfLabel(label: string, interval: BucketInterval): string {
  switch (interval) {
    case 'hour':
    case 'day':
      return label;
    case 'week':
      return bucketKey(`${label.slice(0, 10)}T12:00:00Z`, 'week', 'UTC');
    case 'month':
      return label.slice(0, 7);
  }
}

/** A span of cell labels, both included (`2026-11-01` … `2026-11-30`). */
export interface LabelRange {
  readonly first: string;
  readonly last: string;
}

export const inRange = (label: string, range: LabelRange) => label >= range.first && label <= range.last;

export function sumOver(scale: ScoreScale, histograms: LabelledHistograms, range: LabelRange): Histogram {
  return mergeHistograms(
    scale,
    ...[...histograms].filter(([label]) => inRange(label, range)).map(([, histogram]) => histogram),
  );
}

export type Figures = { responses: number; histogram: Histogram } & ScaleMetrics;

export function figuresOf(scale: ScoreScale, histogram: Histogram, confidence: number): Figures {
  return {
    responses: histogram.reduce((sum, count) => sum + count, 0),
    histogram,
    ...metricsFor(scale, histogram, { confidence }),
  };
}

export type MetricPoint = {
  bucket: string;
  /** The part of the bucket inside the requested range: [start, end). */
  start: string;
  end: string;
  /** Against the bucket before (the last one of the previous period for the first point). */
  comparison: PeriodComparison;
} & Figures;

export interface SeriesRequest {
  scale: ScoreScale;
  interval: BucketInterval;
  timeZone: string;
  confidence: number;
  /** [start, end) of the requested range, on cell boundaries. */
  start: Date;
  end: Date;
  /** The labels of the requested range and of the period before it. */
  current: LabelRange;
  previous: LabelRange;
}

export function pointsOf(request: SeriesRequest, histograms: LabelledHistograms): MetricPoint[] {
  const { scale, interval, timeZone, confidence, start, end } = request;
  const byBucket = new Map<string, Histogram>();
  const add = (bucket: string, histogram: Histogram) =>
    byBucket.set(bucket, mergeHistograms(scale, byBucket.get(bucket) ?? emptyHistogram(scale), histogram));
  for (const [label, histogram] of histograms) {
    if (inRange(label, request.current) || inRange(label, request.previous))
      add(bucketOfLabel(label, interval), histogram);
  }
  const keys = bucketKeysBetween(start, new Date(end.getTime() - 1), interval, timeZone);
  let before =
    keys[0] === undefined
      ? emptyHistogram(scale)
      : (byBucket.get(
          bucketKey(new Date(bucketStart(keys[0], interval, timeZone).getTime() - 1), interval, timeZone),
        ) ?? emptyHistogram(scale));
  return keys.map((key) => {
    const histogram = byBucket.get(key) ?? emptyHistogram(scale);
    const point: MetricPoint = {
      bucket: key,
      start: new Date(Math.max(bucketStart(key, interval, timeZone).getTime(), start.getTime())).toISOString(),
      end: new Date(Math.min(bucketEnd(key, interval, timeZone).getTime(), end.getTime())).toISOString(),
      ...figuresOf(scale, histogram, confidence),
      comparison: comparePeriods(scale, histogram, before, { confidence }),
    };
    before = histogram;
    return point;
  });
}
