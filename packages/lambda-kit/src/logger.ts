import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

/** One logger per function; service name, log level and sampling come from the POWERTOOLS_* environment. */
export const logger = new Logger();

/**
 * The log context of every handler kind (HTTP, SQS, scheduled or invoked): the Lambda context on every line, and the
 * keys a handler appends during an invocation dropped after it, so none leaks into the next one.
 */
export function withLogContext<E, R>(
  handle: (event: E, context: Context) => Promise<R>,
  options?: Parameters<typeof middy>[1],
) {
  return middy(handle, options).use(injectLambdaContext(logger, { resetKeys: true }));
}
