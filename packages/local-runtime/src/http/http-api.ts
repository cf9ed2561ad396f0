import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { InvokeOutcome } from '../lambda/function-pool';
import type { AuthorizerDefinition, HttpApiDefinition, RouteDefinition } from '../template/resources/http-apis';
import { AuthorizerCache, authorizerDecision, identityValues } from './authorizer';
import { isPreflight, preflightResponse, withCorsHeaders } from './cors';
import { gatewayError, type HttpRequest, type HttpResponse } from './http-message';
import {
  type ApiContext,
  authorizerEvent,
  integrationEvent,
  integrationResponse,
  type MatchedRoute,
} from './payload-v2';
import { RouteTable } from './route-matcher';
import { RouteThrottles } from './throttle';

export interface HttpApiDependencies {
  invoke: (functionName: string, event: unknown) => Promise<InvokeOutcome>;
  clock: Clock;
  accountId: string;
  region: string;
  log: (line: string) => void;
}

/**
 * One HTTP API (API Gateway v2) as API Gateway runs it: stage, CORS, route selection, throttling, Lambda authorizer
 * and the Lambda proxy integration with payload format 2.0.
 */
export class HttpApi {
  private readonly routes: RouteTable<RouteDefinition>;
  private readonly throttles: RouteThrottles;
  private readonly authorizerCaches = new Map<string, AuthorizerCache>();

  constructor(
    readonly definition: HttpApiDefinition,
    private readonly deps: HttpApiDependencies,
  ) {
    this.routes = new RouteTable(definition.routes.map((route) => ({ routeKey: route.routeKey, value: route })));
    this.throttles = new RouteThrottles(definition.stage.defaultThrottle, definition.stage.routeThrottles);
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const requestId = apiRequestId();
    const { cors } = this.definition;
    let response: HttpResponse;
    if (cors && isPreflight(request)) response = preflightResponse(request, cors);
    else {
      response = await this.respond(request, requestId);
      if (cors) response = withCorsHeaders(request, response, cors);
    }
    return { ...response, headers: [...response.headers, ['apigw-requestid', requestId]] };
  }

  /** The function whose integration serves the request's route, if a route matches. */
  integrationOf(request: HttpRequest): string | undefined {
    return this.matchRoute(request)?.value.integration?.functionName;
  }

  private matchRoute(request: HttpRequest) {
    const stagePrefix = this.definition.stage.name === '$default' ? '' : `/${this.definition.stage.name}`;
    if (stagePrefix && request.path !== stagePrefix && !request.path.startsWith(`${stagePrefix}/`)) return undefined;
    return this.routes.match(request.method, request.path.slice(stagePrefix.length) || '/');
  }

  private async respond(request: HttpRequest, requestId: string): Promise<HttpResponse> {
    const { stage } = this.definition;
    const match = this.matchRoute(request);
    if (!match) return gatewayError(404, 'Not Found');
    const now = this.deps.clock.now();
    if (!this.throttles.tryTake(match.routeKey, now)) return gatewayError(429, 'Too Many Requests');

    const route: MatchedRoute = { routeKey: match.routeKey, pathParameters: match.pathParameters };
    const api: ApiContext = {
      accountId: this.deps.accountId,
      apiId: this.definition.apiId,
      region: this.deps.region,
      stage: stage.name,
      requestId,
      receivedAt: now,
    };
    let authorizerContext: Record<string, unknown> | undefined;
    if (match.value.authorizer) {
      const authorization = await this.authorize(match.value.authorizer, request, route, api);
      if ('response' in authorization) return authorization.response;
      authorizerContext = authorization.context ?? {};
    }

    const integration = match.value.integration;
    if (!integration?.functionName) {
      this.deps.log(`[runtime] route ${match.routeKey} has no Lambda proxy integration the local runtime can run`);
      return gatewayError(500, 'Internal Server Error');
    }
    if (integration.payloadFormatVersion !== '2.0') {
      this.deps.log(`[runtime] route ${match.routeKey}: only payload format 2.0 is supported locally`);
      return gatewayError(500, 'Internal Server Error');
    }
    const event = integrationEvent(request, route, api, authorizerContext);
    const outcome = await withTimeout(this.deps.invoke(integration.functionName, event), integration.timeoutMs);
    if (outcome === 'timeout') return gatewayError(503, 'Service Unavailable');
    if (!outcome.ok) return gatewayError(500, 'Internal Server Error');
    try {
      return integrationResponse(outcome.payload);
    } catch (error) {
      this.deps.log(`[runtime] ${match.routeKey}: invalid integration response: ${(error as Error).message}`);
      return gatewayError(500, 'Internal Server Error');
    }
  }

  private async authorize(
    authorizer: AuthorizerDefinition,
    request: HttpRequest,
    route: MatchedRoute,
    api: ApiContext,
  ): Promise<{ response: HttpResponse } | { context?: Record<string, unknown> }> {
    const identity = identityValues(authorizer.identitySource, request);
    if (!identity) return { response: gatewayError(401, 'Unauthorized') };
    const cache = this.cacheOf(authorizer);
    let decision = cache.get(identity, api.receivedAt);
    if (!decision) {
      const event = authorizerEvent(request, route, api, identity);
      const outcome = await this.deps.invoke(authorizer.functionName, event);
      if (!outcome.ok) return { response: gatewayError(500, 'Internal Server Error') };
      try {
        decision = authorizerDecision(outcome.payload, authorizer, event.routeArn);
      } catch (error) {
        this.deps.log(
          `[runtime] authorizer ${authorizer.name} returned an invalid response: ${(error as Error).message}`,
        );
        return { response: gatewayError(500, 'Internal Server Error') };
      }
      cache.set(identity, decision, api.receivedAt);
    }
    if (!decision.allowed) return { response: gatewayError(403, 'Forbidden') };
    return decision.context ? { context: decision.context } : {};
  }

  private cacheOf(authorizer: AuthorizerDefinition): AuthorizerCache {
    let cache = this.authorizerCaches.get(authorizer.id);
    if (!cache) {
      cache = new AuthorizerCache(authorizer.ttlSeconds * 1000);
      this.authorizerCaches.set(authorizer.id, cache);
    }
    return cache;
  }
}

/** API Gateway's request ids look like `Nd1F0jQ6oAMEbgQ=`. */
function apiRequestId(): string {
  return randomBytes(10).toString('base64');
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
