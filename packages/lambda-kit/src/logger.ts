import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { BusinessMetricName } from './business-metrics';
import { businessMetrics } from './metrics';

/** One logger per function; service name, log level and sampling come from the POWERTOOLS_* environment. */
export const logger = new Logger();

export interface HandlerOptions {
  middy?: Parameters<typeof middy>[1];
  /** The business metrics the handler counts (`countMetric`): flushed once per invocation, 0 when none was counted. */
  metrics?: readonly BusinessMetricName[];
}

/**
 * The log context of every handler kind (HTTP, SQS, scheduled or invoked): the Lambda context on every line, and the
 * keys a handler appends during an invocation dropped after it, so none leaks into the next one; and its business
 * metrics, flushed when the invocation ends.
 */
export function withLogContext<E, R>(handle: (event: E, context: Context) => Promise<R>, options: HandlerOptions = {}) {
  return middy(handle, options.middy)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(businessMetrics(options.metrics));
}
