import type { AuthorizerDefinition } from '../template/resources/http-apis';
import { type HttpRequest, headerValue } from './http-message';

/** What an authorizer decided for one identity. */
export interface AuthorizerDecision {
  allowed: boolean;
  context?: Record<string, unknown>;
}

/**
 * The values of an authorizer's identity sources (`$request.header.X`, `$request.querystring.x`), or undefined when
 * one is missing or empty: API Gateway then answers 401 without calling the authorizer.
 */
export function identityValues(sources: string[], request: HttpRequest): string[] | undefined {
  const query = new URLSearchParams(request.rawQueryString);
  const values: string[] = [];
  for (const source of sources) {
    let value: string | undefined;
    if (source.startsWith('$request.header.'))
      value = headerValue(request.headers, source.slice('$request.header.'.length));
    else if (source.startsWith('$request.querystring.')) {
      const all = query.getAll(source.slice('$request.querystring.'.length));
      value = all.length > 0 ? all.join(',') : undefined;
    }
    if (value === undefined || value === '') return undefined;
    values.push(value);
  }
  return values;
}

/**
 * Reads an authorizer's response: a simple response `{ isAuthorized, context }` when simple responses are enabled,
 * else an IAM policy `{ principalId, policyDocument, context }`. Throws when the response has neither shape.
 */
export function authorizerDecision(
  payload: unknown,
  authorizer: AuthorizerDefinition,
  routeArn: string,
): AuthorizerDecision {
  if (payload === null || typeof payload !== 'object') throw new Error('authorizer response is not an object');
  const response = payload as {
    isAuthorized?: unknown;
    context?: unknown;
    policyDocument?: { Statement?: Array<{ Effect?: string; Action?: unknown; Resource?: unknown }> };
  };
  const context =
    response.context !== null && typeof response.context === 'object'
      ? { context: response.context as Record<string, unknown> }
      : {};
  if (authorizer.simpleResponses && 'isAuthorized' in response) {
    if (typeof response.isAuthorized !== 'boolean') throw new Error('isAuthorized must be a boolean');
    return { allowed: response.isAuthorized, ...context };
  }
  const statements = response.policyDocument?.Statement;
  if (!Array.isArray(statements)) throw new Error('authorizer response has no policyDocument.Statement');
  const applies = (statement: { Action?: unknown; Resource?: unknown }) =>
    asList(statement.Action).some((action) => globMatches(action, 'execute-api:Invoke')) &&
    asList(statement.Resource).some((resource) => globMatches(resource, routeArn));
  const relevant = statements.filter(applies);
  const allowed = relevant.some((s) => s.Effect === 'Allow') && !relevant.some((s) => s.Effect === 'Deny');
  return { allowed, ...context };
}

function asList(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

function globMatches(pattern: string, text: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(text);
}

/** Authorizer results cached by identity source values for AuthorizerResultTtlInSeconds. */
export class AuthorizerCache {
  private readonly entries = new Map<string, { decision: AuthorizerDecision; expiresAt: number }>();

  constructor(private readonly ttlMs: number) {}

  get(identity: string[], now: number): AuthorizerDecision | undefined {
    const key = JSON.stringify(identity);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.decision;
  }

  set(identity: string[], decision: AuthorizerDecision, now: number): void {
    if (this.ttlMs <= 0 || identity.length === 0) return;
    this.entries.set(JSON.stringify(identity), { decision, expiresAt: now + this.ttlMs });
  }
}
