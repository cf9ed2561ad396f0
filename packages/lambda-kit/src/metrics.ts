import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { type BusinessMetricName, businessMetricsNamespace } from './business-metrics';

/** Built on the first flush: functions that count nothing never make one. The `service` dimension is POWERTOOLS_SERVICE_NAME. */
let metrics: Metrics | undefined;
let counts = new Map<BusinessMetricName, number>();

/** Adds to a business metric of the current invocation; the handler plumbing flushes it when the invocation ends. */
export function countMetric(name: BusinessMetricName, value = 1): void {
  counts.set(name, (counts.get(name) ?? 0) + value);
}

function publishCounts(): void {
  if (counts.size === 0) return;
  metrics ??= new Metrics({ namespace: businessMetricsNamespace });
  for (const [name, value] of counts) metrics.addMetric(name, MetricUnit.Count, value);
  counts = new Map();
  metrics.publishStoredMetrics();
}

/**
 * Flushes the business metrics once per invocation, as one EMF record on stdout (CloudWatch turns it into metrics,
 * no API call). The metrics a handler declares start at 0, so a duplicate or a redelivery is a data point of 0
 * rather than a gap; an invocation with nothing declared or counted prints nothing. Powertools' own `logMetrics`
 * middleware would warn about empty metrics on every such invocation and knows no declared zeros.
 */
export function businessMetrics(declared: readonly BusinessMetricName[] = []): MiddlewareObj {
  return {
    before: () => {
      counts = new Map(declared.map((name) => [name, 0]));
    },
    after: publishCounts,
    onError: publishCounts,
  };
}
