import { describe, expect, it } from 'vitest';
import { isPreflight, preflightResponse, withCorsHeaders } from '../src/http/cors';
import type { HttpRequest } from '../src/http/http-message';
import { RouteThrottles, TokenBucket } from '../src/http/throttle';
import type { CorsConfiguration } from '../src/template/resources/http-apis';

const cors: CorsConfiguration = {
  allowOrigins: ['https://app.example.com'],
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['authorization'],
  exposeHeaders: ['x-total'],
  maxAge: 600,
  allowCredentials: false,
};
const request = (method: string, headers: Array<[string, string]>): HttpRequest => ({
  method,
  path: '/items',
  rawQueryString: '',
  headers,
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  protocol: 'HTTP/1.1',
});

describe('CORS', () => {
  const preflight = request('OPTIONS', [
    ['Origin', 'https://app.example.com'],
    ['Access-Control-Request-Method', 'POST'],
  ]);

  it('answers preflight requests for allowed origins', () => {
    expect(isPreflight(preflight)).toBe(true);
    expect(isPreflight(request('OPTIONS', [['Origin', 'https://app.example.com']]))).toBe(false);
    expect(preflightResponse(preflight, cors)).toEqual({
      statusCode: 204,
      headers: [
        ['access-control-allow-origin', 'https://app.example.com'],
        ['access-control-allow-methods', 'GET,POST'],
        ['access-control-allow-headers', 'authorization'],
        ['access-control-max-age', '600'],
      ],
      body: Buffer.alloc(0),
    });
    expect(
      preflightResponse(
        request('OPTIONS', [
          ['Origin', 'https://evil.example'],
          ['Access-Control-Request-Method', 'GET'],
        ]),
        cors,
      ).headers,
    ).toEqual([]);
  });

  it("replaces the integration's CORS headers with the API's own", () => {
    const response = {
      statusCode: 200,
      headers: [['Access-Control-Allow-Origin', '*'] as [string, string]],
      body: Buffer.alloc(0),
    };
    expect(withCorsHeaders(request('GET', [['origin', 'https://app.example.com']]), response, cors).headers).toEqual([
      ['access-control-allow-origin', 'https://app.example.com'],
      ['access-control-expose-headers', 'x-total'],
    ]);
    expect(withCorsHeaders(request('GET', []), response, cors).headers).toEqual([]);
  });
});

describe('throttling', () => {
  it('allows a burst, then refills at the rate', () => {
    const bucket = new TokenBucket({ burstLimit: 2, rateLimit: 1 }, 0);
    expect([bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0)]).toEqual([true, true, false]);
    expect(bucket.tryTake(999)).toBe(false);
    expect(bucket.tryTake(1_000)).toBe(true);
  });

  it('keeps one bucket per route, with route settings over stage defaults', () => {
    const throttles = new RouteThrottles(
      { burstLimit: 5, rateLimit: 5 },
      { 'GET /slow': { burstLimit: 1, rateLimit: 0 } },
    );
    expect([throttles.tryTake('GET /slow', 0), throttles.tryTake('GET /slow', 0)]).toEqual([true, false]);
    expect(throttles.tryTake('GET /other', 0)).toBe(true);
    expect(new RouteThrottles(undefined, {}).tryTake('GET /x', 0)).toBe(true);
  });
});
