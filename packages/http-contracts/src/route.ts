import * as z from 'zod';

export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof httpMethods)[number];

/** `delighted`: the Delighted-compatible API (`/delighted/v1/…`) of the one survey the key is bound to, nothing else. */
export const apiScopes = ['admin', 'read:metrics', 'write:responses', 'delighted'] as const;
export type ApiScope = (typeof apiScopes)[number];

/**
 * Who may call a route: `public` routes are open (the handler proves the caller: signatures, tokens, CORS, rate
 * limits); the others go through the API-key authorizer and need a key with this scope (or `admin`).
 */
export type RouteAuth = 'public' | ApiScope;

/** A body the router leaves to the handler: signed webhooks verify the raw bytes, hosted pages post forms. */
export interface RawBody {
  readonly raw: string;
}

/** An answer that is not JSON (pages, scripts) or has no body (CORS preflights, 304s). */
export interface RawResponse {
  readonly mediaType: string | null;
  readonly description: string;
}

export type ResponseSpec = z.ZodType | RawResponse;

export interface RouteRequest {
  /** Path parameters (`{surveyId}`), as API Gateway passes them. */
  readonly path?: z.ZodType;
  readonly query?: z.ZodType;
  /** A JSON body (sent as `application/json`), or a raw one the handler reads itself. */
  readonly body?: z.ZodType | RawBody;
  /** 413 above this many bytes of a JSON body; 64 KiB unless said. */
  readonly maxBodyBytes?: number;
}

/** Per-route throttle on the HTTP API (requests per second, and the burst above it), before the handler's own limits. */
export interface RouteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export type RouteKey<M extends HttpMethod = HttpMethod, P extends string = string> = `${M} ${P}`;

export interface RouteContract<
  M extends HttpMethod = HttpMethod,
  P extends string = string,
  A extends RouteAuth = RouteAuth,
  R extends RouteRequest = RouteRequest,
  S extends Readonly<Record<number, ResponseSpec>> = Readonly<Record<number, ResponseSpec>>,
> {
  /** The API Gateway route key: `GET /v1/metrics`. */
  readonly key: RouteKey<M, P>;
  readonly method: M;
  readonly path: P;
  readonly auth: A;
  readonly summary: string;
  readonly description?: string;
  readonly request: R;
  /** Success answers by status. */
  readonly responses: S;
  /** Error answers the route gives besides the ones every route of its kind gives (400, 401, 403, 413, 415). */
  readonly errors: Readonly<Record<number, string>>;
  readonly throttle?: RouteThrottle;
  /** Answered in another API's conventions (errors, auth, paging): see `delightedRoutes`. */
  readonly dialect?: 'delighted';
  /** The route whose implementation also serves this one (Delighted's `.json` twin of a path). */
  readonly aliasOf?: RouteKey;
}

export type AnyRouteContract = RouteContract<
  HttpMethod,
  string,
  RouteAuth,
  RouteRequest,
  Readonly<Record<number, ResponseSpec>>
>;

/** One route of the HTTP API: the CDK route, the handler's parsing and scope check and the OpenAPI entry come from it. */
export function defineRoute<
  const M extends HttpMethod,
  const P extends `/${string}`,
  const A extends RouteAuth,
  const R extends RouteRequest,
  const S extends Readonly<Record<number, ResponseSpec>>,
>(definition: {
  method: M;
  path: P;
  auth: A;
  summary: string;
  description?: string;
  request?: R;
  responses: S;
  errors?: Readonly<Record<number, string>>;
  throttle?: RouteThrottle;
}): RouteContract<M, P, A, R, S> {
  return {
    ...definition,
    key: `${definition.method} ${definition.path}`,
    request: definition.request ?? ({} as R),
    errors: definition.errors ?? {},
  };
}

export const isRawBody = (body: RouteRequest['body']): body is RawBody =>
  body !== undefined && !(body instanceof z.ZodType);

export const isRawResponse = (response: ResponseSpec): response is RawResponse => !(response instanceof z.ZodType);

export const htmlPage = (description: string): RawResponse => ({ mediaType: 'text/html', description });
export const noContent = (description: string): RawResponse => ({ mediaType: null, description });

/** What every error answer of the API holds. */
export const errorBodySchema = z.object({
  error: z.string().describe('Machine-readable code: validation_failed, not_found, conflict, …'),
  message: z.string(),
  details: z.unknown().optional(),
});

/** An object whose fields an answer's schema leaves open (documented by the route's summary). */
export const jsonObject = z
  .custom<object>((value) => typeof value === 'object' && value !== null && !Array.isArray(value))
  .meta({ type: 'object' });

/** The page every list route answers; `nextCursor` is passed back as `cursor` for the next page. */
export const pageOf = <Item extends z.ZodType>(item: Item) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** `limit` and `cursor` of every list route. */
export const pageQuery = (defaultLimit = 25) =>
  z.object({
    limit: z.coerce.number().int().min(1).max(100).default(defaultLimit),
    cursor: z.string().optional(),
  });

/** The parsed request of a contract: its path, query and body as their schemas output them. */
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
export type RoutePath<C extends AnyRouteContract> = Parsed<C['request']['path']>;
export type RouteQuery<C extends AnyRouteContract> = Parsed<C['request']['query']>;
export type RouteBody<C extends AnyRouteContract> = Parsed<C['request']['body']>;

/** The JSON bodies a route may answer with, as the handler builds them (`input`) or the client reads them (`output`). */
export type ResponseInput<C extends AnyRouteContract> = {
  [S in keyof C['responses']]: C['responses'][S] extends z.ZodType ? z.input<C['responses'][S]> : never;
}[keyof C['responses']];
export type ResponseOutput<C extends AnyRouteContract, S extends keyof C['responses'] = keyof C['responses']> = {
  [K in S]: C['responses'][K] extends z.ZodType ? z.output<C['responses'][K]> : never;
}[S];

/** The contract of a group with this route key. */
export type ContractOf<G extends readonly AnyRouteContract[], K extends G[number]['key']> = Extract<
  G[number],
  { key: K }
>;

/** What a route of a group answers with status `S`, as a client reads it: `RouteAnswer<typeof routes, 'GET /v1/x'>`. */
export type RouteAnswer<
  G extends readonly AnyRouteContract[],
  K extends G[number]['key'],
  S extends keyof ContractOf<G, K>['responses'] = 200,
> = ResponseOutput<ContractOf<G, K>, S>;

/** The route keys of a list of contracts. */
export const routeKeys = <const G extends readonly AnyRouteContract[]>(contracts: G): G[number]['key'][] =>
  contracts.map((contract) => contract.key);
