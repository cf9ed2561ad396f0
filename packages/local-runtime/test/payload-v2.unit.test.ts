import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../src/http/http-message';
import {
  type ApiContext,
  authorizerEvent,
  InvalidIntegrationResponse,
  integrationEvent,
  integrationResponse,
} from '../src/http/payload-v2';

const api: ApiContext = {
  accountId: '000000000000',
  apiId: 'abc123',
  region: 'us-east-1',
  stage: '$default',
  requestId: 'req-1',
  receivedAt: Date.UTC(2030, 2, 4, 5, 6, 7),
};
const route = { routeKey: 'POST /items/{id}', pathParameters: { id: '7' } };

function request(overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: 'POST',
    path: '/items/7',
    rawQueryString: 'a=1&a=2&b=x',
    headers: [
      ['Host', 'localhost:3000'],
      ['Content-Type', 'application/json'],
      ['X-Multi', 'one'],
      ['x-multi', 'two'],
      ['Cookie', 'session=abc; theme=dark'],
      ['User-Agent', 'test'],
    ],
    body: Buffer.from('{"name":"x"}'),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    ...overrides,
  };
}

describe('integrationEvent', () => {
  it('builds the payload format 2.0 event', () => {
    expect(integrationEvent(request(), route, api, { principal: 'admin' })).toEqual({
      version: '2.0',
      routeKey: 'POST /items/{id}',
      rawPath: '/items/7',
      rawQueryString: 'a=1&a=2&b=x',
      cookies: ['session=abc', 'theme=dark'],
      headers: {
        host: 'localhost:3000',
        'content-type': 'application/json',
        'x-multi': 'one,two',
        'user-agent': 'test',
      },
      queryStringParameters: { a: '1,2', b: 'x' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'abc123',
        authorizer: { lambda: { principal: 'admin' } },
        domainName: 'localhost:3000',
        domainPrefix: 'localhost:3000',
        http: { method: 'POST', path: '/items/7', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
        requestId: 'req-1',
        routeKey: 'POST /items/{id}',
        stage: '$default',
        time: '04/Mar/2030:05:06:07 +0000',
        timeEpoch: api.receivedAt,
      },
      pathParameters: { id: '7' },
      body: '{"name":"x"}',
      isBase64Encoded: false,
    });
  });

  it('base64-encodes binary bodies and leaves out what the request lacks', () => {
    const event = integrationEvent(
      request({ rawQueryString: '', headers: [['content-type', 'image/png']], body: Buffer.from([0xff, 0x00]) }),
      { routeKey: '$default', pathParameters: {} },
      api,
    );
    expect(event).toMatchObject({ body: '/wA=', isBase64Encoded: true });
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });
});

describe('authorizerEvent', () => {
  it('is a REQUEST event with the route ARN and identity source', () => {
    expect(authorizerEvent(request(), route, api, ['Bearer k'])).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:us-east-1:000000000000:abc123/$default/POST/items/7',
      identitySource: ['Bearer k'],
      routeKey: 'POST /items/{id}',
      rawPath: '/items/7',
      headers: expect.objectContaining({ host: 'localhost:3000' }),
    });
  });
});

describe('integrationResponse', () => {
  it('maps a structured response, with cookies as Set-Cookie headers', () => {
    const response = integrationResponse({
      statusCode: 201,
      headers: { Location: '/items/7', 'X-Count': 2 },
      cookies: ['a=1', 'b=2'],
      body: '{"ok":true}',
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers).toEqual([
      ['location', '/items/7'],
      ['x-count', '2'],
      ['content-type', 'text/plain; charset=utf-8'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]);
    expect(response.body.toString()).toBe('{"ok":true}');
  });

  it('decodes base64 bodies', () => {
    expect(integrationResponse({ statusCode: 200, body: 'aGk=', isBase64Encoded: true }).body.toString()).toBe('hi');
  });

  it('infers 200 application/json for any other JSON value', () => {
    for (const [payload, body] of [
      [{ id: 1 }, '{"id":1}'],
      [[1, 2], '[1,2]'],
      ['text', '"text"'],
      [null, 'null'],
    ] as const) {
      const response = integrationResponse(payload);
      expect(response).toMatchObject({ statusCode: 200, headers: [['content-type', 'application/json']] });
      expect(response.body.toString()).toBe(body);
    }
  });

  it('rejects malformed structured responses', () => {
    expect(() => integrationResponse({ statusCode: 'soon' })).toThrow(InvalidIntegrationResponse);
    expect(() => integrationResponse({ statusCode: 200, body: { not: 'a string' } })).toThrow(
      InvalidIntegrationResponse,
    );
  });
});
