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
}

export interface Principal {
  id: string;
  scopes: ApiScope[];
}

export function requirePrincipal(event: HttpEvent, scope: ApiScope): Principal {
  const context = event.requestContext.authorizer?.lambda as AuthorizerContext | undefined;
  if (context?.authenticated !== 'true' || !context.principal) throw new UnauthorizedError();
  const scopes = (context.scopes ?? '').split(' ').filter(Boolean) as ApiScope[];
  if (!scopes.includes('admin') && !scopes.includes(scope))
    throw new ForbiddenError(`This key lacks the ${scope} scope`);
  return { id: context.principal, scopes };
}
