import type { HttpEvent } from '@cxloop/lambda-kit';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { Survey } from '../domain/surveys';

type Handler = (event: HttpEvent, context: Context) => Promise<APIGatewayProxyResultV2>;

export const preflightHeaders = {
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, x-correlation-id',
  'access-control-max-age': '600',
};

/**
 * The deployment's own pages (the demo, hosted survey pages) are served by the API itself: their origin is the
 * request's host, and every survey allows it without listing it.
 */
export function isOwnOrigin(event: HttpEvent, origin: string): boolean {
  const host = event.requestContext?.domainName ?? event.headers?.host;
  return URL.canParse(origin) && new URL(origin).host === host;
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
    if (!survey.allowedOrigins.includes(origin) && !isOwnOrigin(event, origin)) {
      return {
        statusCode: 403,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          error: 'origin_not_allowed',
          message: `Origin ${origin} is not among the allowed origins of survey ${surveyId}`,
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
