export {
  assertTimeZone,
  type BucketInterval,
  bucketEnd,
  bucketIntervals,
  bucketKey,
  bucketKeysBetween,
  bucketStart,
  type Instant,
  type Period,
  previousPeriod,
} from './buckets';
export {
  comparedMetric,
  comparePeriods,
  MIN_ANSWERS_FOR_MEAN_TEST,
  MIN_EXPECTED_COUNT,
  type PeriodComparison,
  SMALLEST_P_VALUE,
} from './compare';
export {
  type DelightedMetrics,
  type DelightedMetricsQuery,
  delightedMetricsQuerySchema,
  toDelightedMetrics,
} from './delighted';
export { standardNormalQuantile, studentTQuantile } from './distributions';
export { type Driver, driversOf, type ScoreWithInterval, scoreOf } from './drivers';
export { InvalidMetricInputError } from './errors';
export {
  type ConfidenceOptions,
  type Interval,
  type MeanEstimate,
  type ProportionEstimate,
  wilsonInterval,
} from './estimates';
export {
  addToHistogram,
  assertScoreOnScale,
  checkHistogram,
  emptyHistogram,
  type Histogram,
  histogramFromScores,
  histogramLength,
  isScoreOnScale,
  isScoreScale,
  mergeHistograms,
  responseCount,
  type ScaleBounds,
  type ScoreScale,
  scaleBounds,
  scoreScales,
  subtractHistogram,
} from './histogram';
export { benjaminiHochberg, responseRateDropPValue } from './multiple-testing';
export {
  type CesMetrics,
  type CsatMetrics,
  cesEasy,
  cesMetrics,
  csatMetrics,
  csatSatisfied,
  type MetricsByScale,
  metricsFor,
  type NpsMetrics,
  npsGroups,
  npsMetrics,
  type ScaleMetrics,
} from './scale-metrics';
