import { describe, expect, it } from 'vitest';
import { AuthorizerCache, authorizerDecision, identityValues } from '../src/http/authorizer';
import type { HttpRequest } from '../src/http/http-message';
import type { AuthorizerDefinition } from '../src/template/resources/http-apis';

const request = (headers: Array<[string, string]>, rawQueryString = ''): HttpRequest => ({
  method: 'GET',
  path: '/',
  rawQueryString,
  headers,
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  protocol: 'HTTP/1.1',
});
const authorizer: AuthorizerDefinition = {
  id: 'auth',
  name: 'auth',
  functionName: 'fn',
  payloadFormatVersion: '2.0',
  simpleResponses: true,
  identitySource: ['$request.header.Authorization'],
  ttlSeconds: 60,
};
const routeArn = 'arn:aws:execute-api:us-east-1:000000000000:api/$default/GET/items';

describe('identityValues', () => {
  it('reads headers case-insensitively and query parameters', () => {
    expect(
      identityValues(
        ['$request.header.Authorization', '$request.querystring.key'],
        request([['authorization', 'Bearer x']], 'key=k'),
      ),
    ).toEqual(['Bearer x', 'k']);
  });

  it('is undefined when a source is missing or empty (API Gateway answers 401 without calling the authorizer)', () => {
    expect(identityValues(['$request.header.Authorization'], request([]))).toBeUndefined();
    expect(identityValues(['$request.header.Authorization'], request([['Authorization', '']]))).toBeUndefined();
  });
});

describe('authorizerDecision', () => {
  it('reads simple responses with their context', () => {
    expect(authorizerDecision({ isAuthorized: true, context: { user: 'u1' } }, authorizer, routeArn)).toEqual({
      allowed: true,
      context: { user: 'u1' },
    });
    expect(authorizerDecision({ isAuthorized: false }, authorizer, routeArn)).toEqual({ allowed: false });
    expect(() => authorizerDecision({ isAuthorized: 'yes' }, authorizer, routeArn)).toThrow();
  });

  it('evaluates IAM policy responses against the route ARN', () => {
    const policy = (Effect: string, Resource: string) => ({
      principalId: 'u1',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect, Resource }] },
    });
    const iam = { ...authorizer, simpleResponses: false };
    expect(authorizerDecision(policy('Allow', 'arn:aws:execute-api:*:*:api/*'), iam, routeArn).allowed).toBe(true);
    expect(authorizerDecision(policy('Allow', 'arn:aws:execute-api:*:*:other/*'), iam, routeArn).allowed).toBe(false);
    expect(authorizerDecision(policy('Deny', '*'), iam, routeArn).allowed).toBe(false);
    expect(() => authorizerDecision({ principalId: 'u1' }, iam, routeArn)).toThrow(/policyDocument/);
  });
});

describe('AuthorizerCache', () => {
  it('keeps decisions per identity until the TTL passes', () => {
    const cache = new AuthorizerCache(60_000);
    cache.set(['a'], { allowed: true }, 0);
    expect(cache.get(['a'], 59_999)).toEqual({ allowed: true });
    expect(cache.get(['b'], 1)).toBeUndefined();
    expect(cache.get(['a'], 60_000)).toBeUndefined();
  });

  it('caches nothing with a TTL of 0', () => {
    const cache = new AuthorizerCache(0);
    cache.set(['a'], { allowed: true }, 0);
    expect(cache.get(['a'], 0)).toBeUndefined();
  });
});
