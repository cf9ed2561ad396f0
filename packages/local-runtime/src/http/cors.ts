import type { CorsConfiguration } from '../template/resources/http-apis';
import { type HttpRequest, type HttpResponse, headerValue } from './http-message';

/**
 * An HTTP API's CorsConfiguration as API Gateway applies it: it answers preflight requests itself (no route needed)
 * and puts its own CORS headers on every response, replacing any the integration returned.
 */
export function isPreflight(request: HttpRequest): boolean {
  return (
    request.method === 'OPTIONS' &&
    headerValue(request.headers, 'origin') !== undefined &&
    headerValue(request.headers, 'access-control-request-method') !== undefined
  );
}

export function preflightResponse(request: HttpRequest, cors: CorsConfiguration): HttpResponse {
  const origin = headerValue(request.headers, 'origin') ?? '';
  const headers: Array<[string, string]> = [];
  const allowedOrigin = allowOrigin(origin, cors);
  if (allowedOrigin) {
    headers.push(['access-control-allow-origin', allowedOrigin]);
    if (cors.allowMethods.length > 0) headers.push(['access-control-allow-methods', cors.allowMethods.join(',')]);
    if (cors.allowHeaders.length > 0) headers.push(['access-control-allow-headers', cors.allowHeaders.join(',')]);
    if (cors.maxAge !== undefined) headers.push(['access-control-max-age', String(cors.maxAge)]);
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
  }
  return { statusCode: 204, headers, body: Buffer.alloc(0) };
}

export function withCorsHeaders(request: HttpRequest, response: HttpResponse, cors: CorsConfiguration): HttpResponse {
  const headers = response.headers.filter(([name]) => !name.toLowerCase().startsWith('access-control-'));
  const origin = headerValue(request.headers, 'origin');
  const allowedOrigin = origin === undefined ? undefined : allowOrigin(origin, cors);
  if (allowedOrigin) {
    headers.push(['access-control-allow-origin', allowedOrigin]);
    if (cors.exposeHeaders.length > 0) headers.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
  }
  return { ...response, headers };
}

function allowOrigin(origin: string, cors: CorsConfiguration): string | undefined {
  if (cors.allowOrigins.includes(origin)) return origin;
  if (cors.allowOrigins.includes('*')) return cors.allowCredentials ? origin : '*';
  return undefined;
}
