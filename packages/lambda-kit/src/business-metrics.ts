/**
 * The business metrics' contract, shared by the handlers that emit them (Powertools Metrics, EMF) and the CDK
 * dashboard and alarms that read them: one namespace, one `service` dimension, Count metrics.
 */
export const businessMetricsNamespace = 'cxloop';

export const businessMetricDimension = 'service';

export const BusinessMetricServices = {
  collection: 'collection',
  categorisation: 'categorisation',
  aggregation: 'aggregation',
  followup: 'followup',
} as const;

export type BusinessMetricService = (typeof BusinessMetricServices)[keyof typeof BusinessMetricServices];

export const BusinessMetrics = {
  responsesReceived: 'ResponsesReceived',
  feedbackCategorised: 'FeedbackCategorised',
  feedbackCounted: 'FeedbackCounted',
  casesOpened: 'CasesOpened',
  messagesSent: 'MessagesSent',
  messagesFailed: 'MessagesFailed',
} as const;

export type BusinessMetricName = (typeof BusinessMetrics)[keyof typeof BusinessMetrics];

/** Which service emits each metric: the dimension value the dashboard and alarms select it by. */
export const businessMetricEmitters: Readonly<Record<BusinessMetricName, BusinessMetricService>> = {
  ResponsesReceived: 'collection',
  FeedbackCategorised: 'categorisation',
  FeedbackCounted: 'aggregation',
  CasesOpened: 'followup',
  MessagesSent: 'followup',
  MessagesFailed: 'followup',
};
