import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalRuntime } from '../src/index';
import { type Fixture, prepareFixture } from './support/fixture-runtime';

const adminKey = 'test-admin-key';
let fixture: Fixture;
let runtime: LocalRuntime;

beforeAll(async () => {
  fixture = prepareFixture('FixtureHttp');
  runtime = await fixture.start({
    dynamoEndpoint: inject('dynamoEndpoint'),
    secretValues: { AdminKeyC19094DA: adminKey },
  });
});
afterAll(() => fixture?.dispose());

const get = (path: string, init: RequestInit = {}) => fetch(`${runtime.url}${path}`, init);
const createItem = (item: object, authorization = `Bearer ${adminKey}`) =>
  get('/items', {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(item),
  });

describe('the stack as the runtime reads it', () => {
  it('resolves outputs to local values and lists the resources it runs', () => {
    expect(runtime.outputs).toEqual({
      ApiUrl: `${runtime.url}/`,
      TableName: runtime.resources.tables.Items5C12978B,
      AdminApiKeySecretLogicalId: 'AdminKeyC19094DA',
    });
    expect(runtime.resources.tables).toEqual({ Items5C12978B: 'FixtureHttp-Items5C12978B' });
    expect(runtime.resources.buses).toEqual({ BusEA82B648: 'fixture-bus' });
    expect(Object.values(runtime.resources.routes).sort()).toEqual([
      'ANY /echo/{proxy+}',
      'GET /crash',
      'GET /items',
      'GET /items/{id}',
      'GET /slow',
      'POST /items',
    ]);
    expect(runtime.resources.queues.WorkBF636A8B).toBe(
      `${runtime.url}/__aws/sqs/000000000000/FixtureHttp-WorkBF636A8B`,
    );
  });
});

describe('HTTP API', () => {
  it('passes a payload 2.0 event and a Lambda context, in a worker with its own environment', async () => {
    const response = await get('/echo/a/b%20c?x=1&x=2&y=', {
      method: 'PUT',
      headers: { cookie: 'a=1; b=2' },
      body: 'hi',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('apigw-requestid')).toBeTruthy();
    const body = (await response.json()) as Record<string, unknown> & { event: Record<string, unknown> };
    expect(body.event).toMatchObject({
      version: '2.0',
      routeKey: 'ANY /echo/{proxy+}',
      rawPath: '/echo/a/b%20c',
      rawQueryString: 'x=1&x=2&y=',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { x: '1,2', y: '' },
      pathParameters: { proxy: 'a/b c' },
      body: 'hi',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'PUT', path: '/echo/a/b%20c', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
        routeKey: 'ANY /echo/{proxy+}',
        stage: '$default',
      },
    });
    expect(body.event.headers).not.toHaveProperty('cookie');
    expect(body).toMatchObject({
      functionName: runtime.resources.functions.Echo11F3FB29,
      envFunctionName: runtime.resources.functions.Echo11F3FB29,
      echoOnly: 'yes',
      memoryLimitInMB: '128',
    });
    expect(body.remainingMs).toBeGreaterThan(0);
    expect(body.remainingMs).toBeLessThanOrEqual(3000);
  });

  it('answers 404 {"message":"Not Found"} when no route matches', async () => {
    const response = await get('/nowhere');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });

  it('runs the authorizer once per identity (cached), rejects missing and wrong keys', async () => {
    const missing = await createItem({ id: 'x' }, '');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ message: 'Unauthorized' });

    const wrong = await createItem({ id: 'x' }, 'Bearer wrong');
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ message: 'Forbidden' });

    const first = await createItem({ id: 'a', name: 'first' });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe('/items/a');
    expect(first.headers.get('set-cookie')).toBe('last-item=a');
    const second = await createItem({ id: 'b', name: 'second' });
    // The wrong key was the authorizer's first call; the right key's result is then reused from the cache.
    expect(await first.json()).toEqual({ id: 'a', principal: 'admin', authorizerCalls: 2 });
    expect(await second.json()).toEqual({ id: 'b', principal: 'admin', authorizerCalls: 2 });
  });

  it('writes and reads DynamoDB, including through a GSI, with plain objects answered as JSON', async () => {
    await createItem({ id: 'c', name: 'third' });
    const item = await get('/items/c');
    expect(item.status).toBe(200);
    expect(item.headers.get('content-type')).toBe('application/json');
    expect(await item.json()).toEqual({ pk: 'item#c', kind: 'item', id: 'c', name: 'third' });
    expect((await get('/items/none')).status).toBe(404);
    const list = (await (await get('/items?kind=item')).json()) as Array<{ id: string }>;
    expect(list.map((entry) => entry.id)).toEqual(expect.arrayContaining(['c']));
  });

  it('answers 500 when the handler throws, and 429 past the route throttle', async () => {
    const crash = await get('/crash');
    expect(crash.status).toBe(500);
    expect(await crash.json()).toEqual({ message: 'Internal Server Error' });
    const throttled = await get('/crash');
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toEqual({ message: 'Too Many Requests' });
    expect(fixture.logs.some((line) => line.includes('Invoke Error Error: boom'))).toBe(true);
  });

  it('ends a function at its timeout', async () => {
    const started = Date.now();
    const response = await get('/slow');
    expect(response.status).toBe(500);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fixture.logs.some((line) => line.includes('Task timed out after 1.00 seconds'))).toBe(true);
  });

  it('answers CORS preflights itself and adds CORS headers for allowed origins', async () => {
    const preflight = await get('/items', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(preflight.headers.get('access-control-max-age')).toBe('600');
    const actual = await get('/items/c', { headers: { origin: 'https://app.example.com' } });
    expect(actual.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const foreign = await get('/items/c', { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses bodies over 10 MB with 413', async () => {
    const response = await get('/echo/big', { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1, 97) });
    expect(response.status).toBe(413);
  });

  it('injects faults into matching functions', async () => {
    runtime.faults.inject({ function: 'GetItem', failNext: 1, error: 'chaos' });
    expect((await get('/items/c')).status).toBe(500);
    expect((await get('/items/c')).status).toBe(200);
    expect(fixture.logs.some((line) => line.includes('InjectedFault: chaos'))).toBe(true);
  });
});

describe('local AWS APIs', () => {
  it('serve Secrets Manager to SDK clients', async () => {
    const client = new SecretsManagerClient({
      endpoint: `${runtime.awsEndpoint}/secretsmanager`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const secret = await client.send(new GetSecretValueCommand({ SecretId: 'AdminKeyC19094DA' }));
    expect(secret.SecretString).toBe(adminKey);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    client.destroy();
  });
});
