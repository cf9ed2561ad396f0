import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import {
  BadRequestError,
  HttpError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
} from './errors';
import { logger } from './logger';
import { parseOrBadRequest } from './validation';

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { lambda?: Record<string, unknown> };
  };
};

export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Already serialised body (HTML, JavaScript…); `body` is JSON-encoded otherwise. */
  rawBody?: string;
}

export interface RequestContext {
  event: HttpEvent;
  /** Correlation id for events caused by this request: the caller's `x-correlation-id` or the API request id. */
  correlationId: string;
  requestId: string;
  now: Date;
}

export type RouteHandler = (request: RequestContext) => Promise<HttpResponse>;

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export function json(statusCode: number, body: unknown, headers?: Record<string, string>): HttpResponse {
  return { statusCode, body, ...(headers ? { headers } : {}) };
}

function rawBodyOf(event: HttpEvent): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/**
 * 415 unless the request's Content-Type is `expected` (or one that `accepts`), case-insensitive, with any parameters;
 * a `charset` parameter must be UTF-8, the only encoding the bodies are read in.
 */
export function requireContentType(
  event: HttpEvent,
  expected: string,
  accepts: (mediaType: string) => boolean = (mediaType) => mediaType === expected,
): void {
  const [mediaType = '', ...parameters] = (event.headers?.['content-type'] ?? '').toLowerCase().split(';');
  const charset = parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith('charset='));
  const utf8 = charset === undefined || ['charset=utf-8', 'charset="utf-8"'].includes(charset);
  if (!accepts(mediaType.trim()) || !utf8) throw new UnsupportedMediaTypeError(expected);
}

/** `application/json` and the structured `+json` types (`application/vnd.example.v1+json`). */
export const isJsonMediaType = (mediaType: string): boolean => /^application\/([\w.+-]+\+)?json$/.test(mediaType);

/**
 * Parses the JSON body with `schema`: 415 unless it is sent as `application/json`, 400 names the failing field, 413
 * when larger than `maxBytes`.
 */
export function parseBody<S extends z.ZodType>(
  event: HttpEvent,
  schema: S,
  maxBytes = DEFAULT_MAX_BODY_BYTES,
): z.output<S> {
  requireContentType(event, 'application/json');
  const raw = rawBodyOf(event);
  if (Buffer.byteLength(raw) > maxBytes) throw new PayloadTooLargeError(maxBytes);
  let parsed: unknown;
  try {
    parsed = raw === '' ? undefined : JSON.parse(raw);
  } catch {
    throw new BadRequestError('body: not valid JSON', undefined, 'invalid_json');
  }
  if (parsed === undefined) throw new BadRequestError('body: required', undefined, 'validation_failed');
  return parseOrBadRequest(schema, parsed, 'body');
}

export function parseQuery<S extends z.ZodType>(event: HttpEvent, schema: S): z.output<S> {
  return parseOrBadRequest(schema, event.queryStringParameters ?? {}, 'query');
}

export function parsePath<S extends z.ZodType>(event: HttpEvent, schema: S): z.output<S> {
  return parseOrBadRequest(schema, event.pathParameters ?? {}, 'path');
}

function toResult(response: HttpResponse): APIGatewayProxyResultV2 {
  const isRaw = response.rawBody !== undefined;
  return {
    statusCode: response.statusCode,
    headers: { ...(isRaw ? {} : { 'content-type': 'application/json' }), ...response.headers },
    body: isRaw ? response.rawBody : response.body === undefined ? '' : JSON.stringify(response.body),
  };
}

function errorResponse(error: unknown): HttpResponse {
  if (error instanceof HttpError) {
    const retryAfter = error instanceof TooManyRequestsError ? error.retryAfterSeconds : undefined;
    return json(
      error.statusCode,
      { error: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) },
      retryAfter === undefined ? undefined : { 'retry-after': String(retryAfter) },
    );
  }
  logger.error('Unhandled error', { error: error as Error });
  return json(500, { error: 'internal_error', message: 'Internal error' });
}

/**
 * One Lambda handler for a set of HTTP API routes, dispatched on the API Gateway `routeKey`
 * (e.g. `POST /v1/surveys`). Route keys are declared next to the handlers and imported by the CDK app, so a route
 * exists in the API exactly when a handler exists for it.
 */
export function httpRouter(routes: Readonly<Record<string, RouteHandler>>) {
  const handle = async (event: HttpEvent, _context: Context): Promise<APIGatewayProxyResultV2> => {
    const route = routes[event.routeKey];
    const requestId = event.requestContext.requestId ?? randomUUID();
    const correlationId = event.headers?.['x-correlation-id'] ?? requestId;
    logger.appendKeys({ routeKey: event.routeKey, correlationId });
    try {
      if (!route) throw new HttpError(404, 'not_found', `No handler for ${event.routeKey}`);
      return toResult(await route({ event, correlationId, requestId, now: new Date() }));
    } catch (error) {
      return toResult(errorResponse(error));
    } finally {
      logger.removeKeys(['routeKey', 'correlationId']);
    }
  };
  return middy(handle).use(injectLambdaContext(logger));
}
