import * as z from 'zod';
import {
  defineRoute,
  type HttpMethod,
  type ResponseSpec,
  type RouteContract,
  type RouteKey,
  type RouteRequest,
  type RouteThrottle,
} from './route';

/**
 * The Delighted-compatible API: what Delighted's customers' code (the official clients) calls after changing only
 * its base URL to `https://<api>/delighted/v1` and its key to a cxloop `delighted` key.
 *
 * How to add a route (any service):
 *
 * ```ts
 * // services/<service>/src/routes.ts
 * export const peopleDelightedRoutes = [
 *   ...delightedRoutes({
 *     method: 'POST',
 *     path: '/people',                      // relative to /delighted/v1
 *     summary: 'Creates or updates a person',
 *     request: { body: personInput },       // zod as usual; bad input answers 422 naming the parameter
 *     responses: { 200: personSchema },
 *   }),
 *   ...delightedRoutes({ method: 'GET', path: '/people', request: { query: delightedPageQuery.extend({…}) }, … }),
 * ] as const;
 *
 * // the handler: one implementation per definition (the `.json` twin is dispatched to it)
 * httpRoutes(peopleDelightedRoutes, {
 *   'POST /delighted/v1/people': async ({ body, principal: { surveyId } }) => json(200, …),
 *   'GET /delighted/v1/people': async ({ event, query, principal }) => {
 *     const page = await …(principal.surveyId, query.page, query.per_page);
 *     return json(200, page.items, delightedPageLink(event, query, page.hasMore));   // lambda-kit
 *   },
 * });
 *
 * // infra: api.addRoutes(peopleDelightedRoutes, fn), and the list joins apiRoutes in infra/lib/api-document.ts
 * ```
 *
 * - A path without a trailing parameter gives two routes, `/delighted/v1/people` (what the Node client calls) and
 *   `/delighted/v1/people.json` (what Delighted's docs and the other clients call). A path ending in a parameter
 *   (`/people/{person}`) gives one route, and a trailing `.json` is stripped from that parameter before its schema
 *   parses it (`/people/email:a@b.co.json` → `email:a@b.co`): its path schema must be a `z.object`.
 * - Auth is `delighted`: HTTP Basic with the key as user name; only a `delighted` key bound to a survey passes (the
 *   admin key is refused with a 401 saying why), and `principal.surveyId` is the survey to act on.
 * - The router answers errors in Delighted's shape (`delightedErrorBodySchema`) and the statuses the clients know:
 *   401 (with `WWW-Authenticate: Basic realm="Delighted"`), 404, 406 (an `Accept` without JSON), 422 (validation,
 *   naming the parameter), 429 (with `Retry-After`), 500.
 * - Answer in Delighted's shapes: ids as strings, times as Unix seconds (`delightedTimestamp` parses them),
 *   lists as a bare JSON array paged with `delightedPageQuery` and a `Link: <…>; rel="next"` header.
 */
export const DELIGHTED_BASE_PATH = '/delighted/v1';

type DelightedPath<P extends string> = `${typeof DELIGHTED_BASE_PATH}${P}`;

export type DelightedRouteContract<
  M extends HttpMethod,
  P extends string,
  R extends RouteRequest,
  S extends Readonly<Record<number, ResponseSpec>>,
> = RouteContract<M, P, 'delighted', R, S> & { readonly dialect: 'delighted' };

/** The routes of one Delighted definition: with its `.json` twin unless the path ends in a parameter. */
export type DelightedRoutes<
  M extends HttpMethod,
  P extends string,
  R extends RouteRequest,
  S extends Readonly<Record<number, ResponseSpec>>,
> = P extends `${string}}`
  ? readonly [DelightedRouteContract<M, DelightedPath<P>, R, S>]
  : readonly [
      DelightedRouteContract<M, DelightedPath<P>, R, S>,
      DelightedRouteContract<M, `${DelightedPath<P>}.json`, R, S> & {
        readonly aliasOf: RouteKey<M, DelightedPath<P>>;
      },
    ];

const withoutJsonSuffix = (value: string) => (value.endsWith('.json') ? value.slice(0, -'.json'.length) : value);

function strippingJsonSuffix(path: string, schema: RouteRequest['path'], parameter: string): z.ZodType {
  const field = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>)[parameter] : undefined;
  if (!field || !(schema instanceof z.ZodObject)) {
    throw new Error(`Delighted route ${path}: its path schema must be a z.object with a field for {${parameter}}`);
  }
  return schema.extend({
    [parameter]: z
      .string()
      .transform(withoutJsonSuffix)
      .pipe(field as z.ZodType<unknown, string>),
  });
}

/** One route of the Delighted-compatible API as its (one or two) route contracts; see the comment above. */
export function delightedRoutes<
  const M extends HttpMethod,
  const P extends `/${string}`,
  const R extends RouteRequest,
  const S extends Readonly<Record<number, ResponseSpec>>,
>(definition: {
  method: M;
  path: P;
  summary: string;
  description?: string;
  request?: R;
  responses: S;
  errors?: Readonly<Record<number, string>>;
  throttle?: RouteThrottle;
}): DelightedRoutes<M, P, R, S> {
  const path = `${DELIGHTED_BASE_PATH}${definition.path}` as const;
  const route = <Q extends `/${string}`>(routePath: Q, request: R | undefined) => ({
    ...defineRoute({ ...definition, path: routePath, auth: 'delighted', ...(request ? { request } : {}) }),
    dialect: 'delighted' as const,
  });
  const trailingParameter = /\{(\w+)\}$/.exec(definition.path)?.[1];
  if (trailingParameter !== undefined) {
    const request = {
      ...definition.request,
      path: strippingJsonSuffix(path, definition.request?.path, trailingParameter),
    } as unknown as R;
    return [route(path, request)] as unknown as DelightedRoutes<M, P, R, S>;
  }
  const canonical = route(path, definition.request);
  return [
    canonical,
    { ...route(`${path}.json`, definition.request), aliasOf: canonical.key },
  ] as unknown as DelightedRoutes<M, P, R, S>;
}

/**
 * What every Delighted error answer holds. Delighted's documentation shows no error bodies and its clients read
 * only the status (and `Retry-After`), so this shape is cxloop's: `status` repeats the HTTP status, and a 422 lists
 * each failing parameter in `errors` (`field` as Delighted names it: `person_email`, `score`).
 */
export const delightedErrorBodySchema = z.object({
  status: z.number(),
  message: z.string(),
  errors: z
    .array(z.object({ field: z.string(), code: z.string(), message: z.string() }))
    .optional()
    .describe('422: the failing parameters'),
});
export type DelightedErrorBody = z.output<typeof delightedErrorBodySchema>;

/** `per_page` (1–100, 20 unless said) and `page` (from 1) of every Delighted list route. */
export const delightedPageQuery = z.object({
  per_page: z.coerce.number().int().min(1).max(100).default(20),
  page: z.coerce.number().int().min(1).default(1),
});
export type DelightedPage = z.output<typeof delightedPageQuery>;

/** A time as Delighted takes it in queries and bodies: Unix seconds, as a number or a string of digits. */
export const delightedTimestamp = z
  .union([
    z.number().int().nonnegative(),
    z
      .string()
      .regex(/^\d{1,12}$/, 'expected Unix seconds')
      .transform(Number),
  ])
  .transform((seconds) => new Date(seconds * 1000));

/** A time as Delighted answers it: whole Unix seconds. */
export const toUnixSeconds = (iso: string | Date): number => Math.floor(new Date(iso).getTime() / 1000);
