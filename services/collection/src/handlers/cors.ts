import { ForbiddenError, type HttpEvent } from '@cxloop/lambda-kit';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { Survey } from '../domain/surveys';

type Handler = (event: HttpEvent, context: Context) => Promise<APIGatewayProxyResultV2>;

export const preflightHeaders = {
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, x-correlation-id',
  'access-control-max-age': '600',
};

/**
 * The origin an `Origin` header names, exactly as browsers serialise it (`https://shop.example.com`); undefined for
 * `null` (sandboxed frames, data: and file: pages, redirects across origins) and for anything else.
 */
export function parseOrigin(header: string): URL | undefined {
  if (!URL.canParse(header)) return undefined;
  const url = new URL(header);
  return ['http:', 'https:'].includes(url.protocol) && url.origin === header ? url : undefined;
}

/** Why a request's `Origin` header cannot be taken as any site's origin; undefined when it names one. */
export function unusableOrigin(header: string): string | undefined {
  if (header === 'null') return 'Origin null (a sandboxed frame, a data: or file: page) is not accepted';
  return parseOrigin(header) ? undefined : 'The Origin header is not an http(s) origin';
}

/**
 * The deployment's own pages (the demo, hosted survey pages) are served by the API itself: their origin is the
 * request's host, and every survey allows it without listing it.
 */
export function isOwnOrigin(event: HttpEvent, origin: string): boolean {
  const host = event.requestContext?.domainName ?? event.headers?.host;
  return parseOrigin(origin)?.host === host;
}

/**
 * A form post from a browser must come from the deployment's own page: an `Origin` of another site, `null` or a
 * malformed one is refused with 403. Without `Origin` (servers, tests) there is no browser to protect.
 */
export function requireSameOrigin(event: HttpEvent, refusal: string): void {
  const origin = event.headers?.origin;
  if (origin === undefined) return;
  const unusable = unusableOrigin(origin);
  if (unusable) throw new ForbiddenError(unusable);
  if (!isOwnOrigin(event, origin)) throw new ForbiddenError(refusal);
}

/**
 * CORS per survey, for routes under `/v1/surveys/{surveyId}`: a browser request (it has `Origin`) from an origin the
 * survey does not allow (its `allowedOrigins` and the deployment's own origin) is refused with 403 before the route
 * runs; an allowed one gets its CORS headers on every
 * answer, errors included, so that the widget can read why a post failed. Requests without `Origin` (servers, tests)
 * are not CORS and pass as they are.
 */
export function withSurveyCors(
  handler: Handler,
  surveys: { get(surveyId: string): Promise<Survey | undefined>; reset(): void },
): Handler {
  return async (event, context) => {
    surveys.reset();
    const origin = event.headers?.origin;
    const surveyId = event.pathParameters?.surveyId;
    if (!origin || !surveyId) return handler(event, context);
    const survey = await surveys.get(surveyId);
    if (!survey) return handler(event, context);
    const unusable = unusableOrigin(origin);
    if (unusable || (!survey.allowedOrigins.includes(origin) && !isOwnOrigin(event, origin))) {
      return {
        statusCode: 403,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          error: 'origin_not_allowed',
          message: unusable ?? `Origin ${origin} is not among the allowed origins of survey ${surveyId}`,
        }),
      };
    }
    const result = await handler(event, context);
    const structured = typeof result === 'object' ? result : { statusCode: 200, body: result };
    return {
      ...structured,
      headers: {
        ...structured.headers,
        'access-control-allow-origin': origin,
        'access-control-expose-headers': 'retry-after',
        vary: 'Origin',
      },
    };
  };
}
