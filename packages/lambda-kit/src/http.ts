import { randomUUID } from 'node:crypto';
import {
  type AnyRouteContract,
  type DelightedErrorBody,
  isRawBody,
  type ResponseInput,
  type RouteBody,
  type RoutePath,
  type RouteQuery,
} from '@cxloop/http-contracts';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { type DelightedPrincipal, type Principal, requirePrincipal } from './auth';
import type { BusinessMetricName } from './business-metrics';
import {
  BadRequestError,
  type ErrorRule,
  HttpError,
  PayloadTooLargeError,
  TooManyRequestsError,
  toHttpError,
  UnsupportedMediaTypeError,
} from './errors';
import { logger, withLogContext } from './logger';
import { parseOrBadRequest } from './validation';

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { lambda?: Record<string, unknown> };
  };
};

export interface HttpResponse<Body = unknown> {
  statusCode: number;
  headers?: Record<string, string>;
  body?: Body;
  /** Already serialised body (HTML, JavaScript…); `body` is JSON-encoded otherwise. */
  rawBody?: string;
}

export interface RequestContext {
  event: HttpEvent;
  /** Correlation id for events caused by this request: the caller's `x-correlation-id` or the API request id. */
  correlationId: string;
  requestId: string;
  /** What events published for this request carry: its correlation id, caused by the request. */
  causation: { correlationId: string; causationId: string };
  now: Date;
}

/** What a route's implementation gets: the request parsed with its contract's schemas, and the caller. */
export type RouteRequest<C extends AnyRouteContract> = RequestContext & {
  path: RoutePath<C>;
  query: RouteQuery<C>;
  body: RouteBody<C>;
  principal: C['auth'] extends 'public' ? undefined : C['auth'] extends 'delighted' ? DelightedPrincipal : Principal;
};

export type RouteImplementation<C extends AnyRouteContract> = (
  request: RouteRequest<C>,
) => Promise<HttpResponse<ResponseInput<C>>>;

/** One implementation per contract of the group, by route key; an alias (`aliasOf`) is served by its route's. */
export type RouteImplementations<G extends readonly AnyRouteContract[]> = {
  [C in G[number] as C extends { aliasOf: string } ? never : C['key']]: RouteImplementation<C>;
};

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export function json<Body>(statusCode: number, body: Body, headers?: Record<string, string>): HttpResponse<Body> {
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

/** Where a validation issue's field came from, which Delighted's parameter names leave out. */
const parameterName = (field: string) => field.replace(/^(body|query|path)\./, '');

/**
 * An error as Delighted's clients understand it (their errors are by status: 401, 406, 422, 429, 500, 503): a 400
 * becomes the 422 Delighted answers for invalid parameters, listing them; a 403 is a 401, the only auth failure
 * they know. See `delightedErrorBodySchema` in http-contracts for the body.
 */
function delightedErrorResponse(error: unknown): HttpResponse<DelightedErrorBody> {
  if (!(error instanceof HttpError)) {
    logger.error('Unhandled error', { error: error as Error });
    return json(500, { status: 500, message: 'Internal error' });
  }
  const status = error.statusCode === 400 ? 422 : error.statusCode === 403 ? 401 : error.statusCode;
  const issues = (error.details as { issues?: { field: string; message: string }[] } | undefined)?.issues;
  const body: DelightedErrorBody = {
    status,
    message: error.message,
    ...(status === 422
      ? {
          errors: (issues ?? []).map((issue) => ({
            field: parameterName(issue.field),
            code: 'invalid',
            message: issue.message,
          })),
        }
      : {}),
  };
  const retryAfter = error instanceof TooManyRequestsError ? error.retryAfterSeconds : undefined;
  return json(status, body, {
    ...(status === 401 ? { 'www-authenticate': 'Basic realm="Delighted"' } : {}),
    ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
  });
}

/** 406 unless the client takes JSON (an absent Accept takes anything), as Delighted answers. */
function requireJsonAccepted(event: HttpEvent): void {
  const accept = event.headers?.accept;
  if (accept === undefined) return;
  const ranges = accept.split(',').map((range) => range.split(';')[0]!.trim().toLowerCase());
  if (!ranges.some((range) => ['*/*', 'application/*', 'application/json', '*/json'].includes(range)))
    throw new HttpError(406, 'not_acceptable', 'This API answers only application/json');
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

async function parsedRequest(contract: AnyRouteContract, context: RequestContext) {
  const { event } = context;
  const { path, query, body, maxBodyBytes } = contract.request;
  if (contract.dialect === 'delighted') requireJsonAccepted(event);
  return {
    ...context,
    principal: contract.auth === 'public' ? undefined : requirePrincipal(event, contract.auth),
    path: path ? parsePath(event, path) : undefined,
    query: query ? parseQuery(event, query) : undefined,
    body: body && !isRawBody(body) ? parseBody(event, body, maxBodyBytes) : undefined,
  };
}

export interface HttpRoutesOptions {
  /** The service's own errors as HTTP answers, registered once for every route of the service. */
  errors?: readonly ErrorRule[];
  /** The business metrics the routes count, flushed once per invocation (see `withLogContext`). */
  metrics?: readonly BusinessMetricName[];
}

/**
 * One Lambda handler for a group of route contracts, dispatched on the API Gateway `routeKey`: each request is
 * checked for the contract's scope and parsed with its schemas (400 naming the field, 413, 415) before the route
 * runs; errors become answers through the service's error rules and the HttpError classes (in Delighted's shapes
 * for its dialect). The log carries the Lambda context, the route key, the correlation id and the feedback a route's
 * path names (`{feedbackId}`), reset after every invocation.
 */
export function httpRoutes<const G extends readonly AnyRouteContract[]>(
  contracts: G,
  implementations: NoInfer<RouteImplementations<G>>,
  options: HttpRoutesOptions = {},
) {
  const implementationOf = implementations as unknown as Record<string, RouteImplementation<AnyRouteContract>>;
  const byKey = new Map<string, [AnyRouteContract, RouteImplementation<AnyRouteContract>]>(
    contracts.map((contract) => [contract.key, [contract, implementationOf[contract.aliasOf ?? contract.key]!]]),
  );
  const handle = async (event: HttpEvent, _context: Context): Promise<APIGatewayProxyResultV2> => {
    const requestId = event.requestContext.requestId ?? randomUUID();
    const correlationId = event.headers?.['x-correlation-id'] ?? requestId;
    logger.appendKeys({ routeKey: event.routeKey, correlationId });
    const route = byKey.get(event.routeKey);
    const answerError = route?.[0].dialect === 'delighted' ? delightedErrorResponse : errorResponse;
    try {
      if (!route) throw new HttpError(404, 'not_found', `No handler for ${event.routeKey}`);
      const [contract, implementation] = route;
      const context = {
        event,
        correlationId,
        requestId,
        causation: { correlationId, causationId: requestId },
        now: new Date(),
      };
      const request = await parsedRequest(contract, context);
      const feedbackId = (request.path as { feedbackId?: unknown } | undefined)?.feedbackId;
      if (typeof feedbackId === 'string') logger.appendKeys({ feedbackId });
      return toResult(await implementation(request as never));
    } catch (error) {
      return toResult(answerError(toHttpError(error, options.errors ?? [])));
    }
  };
  return withLogContext(handle, { metrics: options.metrics });
}
