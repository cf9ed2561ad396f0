import type { ApiScope } from '@cxloop/http-contracts';
import { ForbiddenError, UnauthorizedError } from './errors';
import type { HttpEvent } from './http';

export { type ApiScope, apiScopes } from '@cxloop/http-contracts';

/**
 * What the API-key authorizer hands to admin routes (API Gateway `requestContext.authorizer.lambda`).
 *
 * An unknown or wrong key is let through the authorizer as `authenticated: 'false'` instead of being denied there,
 * because an HTTP API can only answer 403 for a denial and clients must get 401 for bad credentials (RFC 9110 §15.5.2).
 * The router (`httpRoutes`) checks every scoped route with `requirePrincipal`, which turns that into the 401.
 */
export interface AuthorizerContext {
  authenticated: 'true' | 'false';
  principal?: string;
  /** Space-separated scopes. */
  scopes?: string;
  /** The survey a `delighted` key is bound to. */
  surveyId?: string;
}

export interface Principal {
  id: string;
  scopes: ApiScope[];
  /** The survey the key is bound to (`delighted` keys). */
  surveyId?: string;
}

/** The caller of a Delighted-compatible route: always a key bound to one survey, the one the route acts on. */
export type DelightedPrincipal = Principal & { surveyId: string };

/**
 * The caller of a route that needs `scope`: 401 without a valid key, 403 without the scope (`admin` has every scope
 * but `delighted`). Delighted routes need a `delighted` key bound to a survey; any other key is a 401 there, since
 * to Delighted's clients it is not a key of this API at all.
 */
export function requirePrincipal(event: HttpEvent, scope: ApiScope): Principal {
  const context = event.requestContext.authorizer?.lambda as AuthorizerContext | undefined;
  if (context?.authenticated !== 'true' || !context.principal) throw new UnauthorizedError();
  const scopes = (context.scopes ?? '').split(' ').filter(Boolean) as ApiScope[];
  if (scope === 'delighted') {
    if (!scopes.includes('delighted') || !context.surveyId) {
      throw new UnauthorizedError(
        'This API takes a delighted key bound to a survey (POST /v1/api-keys with scopes ["delighted"] and a ' +
          'surveyId) as the Basic user name; this key is not one',
      );
    }
    return { id: context.principal, scopes, surveyId: context.surveyId };
  }
  if (!scopes.includes('admin') && !scopes.includes(scope))
    throw new ForbiddenError(`This key lacks the ${scope} scope`);
  return { id: context.principal, scopes, ...(context.surveyId ? { surveyId: context.surveyId } : {}) };
}
