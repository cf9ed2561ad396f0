import type { HttpRequest, HttpResponse } from './http-message';

/** Where a request arrived: what the payload's requestContext says about the API. */
export interface ApiContext {
  accountId: string;
  apiId: string;
  region: string;
  stage: string;
  requestId: string;
  /** Epoch ms when API Gateway received the request. */
  receivedAt: number;
}

export interface MatchedRoute {
  routeKey: string;
  pathParameters: Record<string, string>;
}

/** The parts shared by the integration event and the authorizer event of payload format 2.0. */
function requestParts(request: HttpRequest, route: MatchedRoute, api: ApiContext) {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((cookie) => cookie.trim())
          .filter((cookie) => cookie !== ''),
      );
      continue;
    }
    headers[lower] = lower in headers ? `${headers[lower]},${value}` : value;
  }
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(request.rawQueryString)) {
    queryStringParameters[name] = name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
  }
  const domainName = headers.host ?? 'localhost';
  const requestContext = {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName,
    domainPrefix: domainName.split('.')[0] ?? domainName,
    http: {
      method: request.method,
      path: request.path,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: headers['user-agent'] ?? '',
    },
    requestId: api.requestId,
    routeKey: route.routeKey,
    stage: api.stage,
    time: clfTime(new Date(api.receivedAt)),
    timeEpoch: api.receivedAt,
  };
  return {
    rawPath: request.path,
    rawQueryString: request.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    requestContext,
    ...(Object.keys(route.pathParameters).length > 0 ? { pathParameters: route.pathParameters } : {}),
  };
}

/** The Lambda proxy integration event, payload format 2.0. */
export function integrationEvent(
  request: HttpRequest,
  route: MatchedRoute,
  api: ApiContext,
  authorizerContext?: Record<string, unknown>,
) {
  const { requestContext, ...parts } = requestParts(request, route, api);
  const binary = isBinary(request);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    ...parts,
    requestContext: {
      ...requestContext,
      ...(authorizerContext ? { authorizer: { lambda: authorizerContext } } : {}),
    },
    ...(request.body.length > 0 ? { body: request.body.toString(binary ? 'base64' : 'utf8') } : {}),
    isBase64Encoded: binary,
  };
}

/** The Lambda REQUEST authorizer event, payload format 2.0. */
export function authorizerEvent(request: HttpRequest, route: MatchedRoute, api: ApiContext, identitySource: string[]) {
  const { rawPath, ...parts } = requestParts(request, route, api);
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/${request.method}${rawPath}`,
    identitySource,
    routeKey: route.routeKey,
    rawPath,
    ...parts,
  };
}

export class InvalidIntegrationResponse extends Error {
  override name = 'InvalidIntegrationResponse';
}

/**
 * Maps a payload 2.0 function response to HTTP: a structured `{statusCode, headers, cookies, body,
 * isBase64Encoded}`, or, for any other valid JSON without a statusCode, a 200 application/json with the response as
 * its body.
 */
export function integrationResponse(payload: unknown): HttpResponse {
  const structured = payload !== null && typeof payload === 'object' && 'statusCode' in payload;
  if (!structured) {
    return {
      statusCode: 200,
      headers: [['content-type', 'application/json']],
      body: Buffer.from(JSON.stringify(payload ?? null)),
    };
  }
  const response = payload as {
    statusCode: unknown;
    headers?: Record<string, unknown>;
    cookies?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  const statusCode = Number(response.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new InvalidIntegrationResponse(`statusCode ${JSON.stringify(response.statusCode)} is not an HTTP status`);
  }
  if (response.body !== undefined && response.body !== null && typeof response.body !== 'string') {
    throw new InvalidIntegrationResponse('body must be a string');
  }
  const headers: Array<[string, string]> = Object.entries(response.headers ?? {}).map(([name, value]) => [
    name.toLowerCase(),
    String(value),
  ]);
  if (!headers.some(([name]) => name === 'content-type')) headers.push(['content-type', 'text/plain; charset=utf-8']);
  if (Array.isArray(response.cookies)) {
    for (const cookie of response.cookies) headers.push(['set-cookie', String(cookie)]);
  }
  const body = typeof response.body === 'string' ? response.body : '';
  return {
    statusCode,
    headers,
    body: Buffer.from(body, response.isBase64Encoded === true ? 'base64' : 'utf8'),
  };
}

/** HTTP APIs pass text bodies as they are and base64-encode anything else. */
function isBinary(request: HttpRequest): boolean {
  if (request.body.length === 0) return false;
  const contentType = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1]?.toLowerCase();
  if (contentType === undefined) return !isUtf8(request.body);
  return !/^text\/|json|xml|javascript|x-www-form-urlencoded|yaml|graphql/.test(contentType);
}

function isUtf8(body: Buffer): boolean {
  return Buffer.from(body.toString('utf8'), 'utf8').equals(body);
}

/** `12/Mar/2020:19:03:58 +0000`, the format of requestContext.time. */
function clfTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
