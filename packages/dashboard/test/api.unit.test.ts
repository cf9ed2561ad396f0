import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, apiBaseOf, apiClient, NetworkError, session } from '../src/api';

/** An in-memory Storage, as sessionStorage behaves. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

describe('where the API is', () => {
  it('is the page’s own origin unless config.json names another base', () => {
    expect(apiBaseOf({}, 'https://d1.cloudfront.net/index.html')).toBe('https://d1.cloudfront.net/');
    expect(apiBaseOf({ apiUrl: '/' }, 'http://127.0.0.1:3000/dashboard/')).toBe('http://127.0.0.1:3000/');
    expect(apiBaseOf({ apiUrl: 'https://api.example.com/prod' }, 'https://d1.cloudfront.net/')).toBe(
      'https://api.example.com/prod/',
    );
  });
});

describe('the session', () => {
  it('keeps the key in the storage it is given, and forgets it on sign-out', () => {
    const storage = memoryStorage();
    expect(session.read(storage)).toBeUndefined();
    session.write({ apiKey: 'cxk_1', role: 'read' }, storage);
    expect(session.read(storage)).toEqual({ apiKey: 'cxk_1', role: 'read' });
    session.clear(storage);
    expect(session.read(storage)).toBeUndefined();
    storage.setItem('cxloop.dashboard.session', '{not json');
    expect(session.read(storage)).toBeUndefined();
  });
});

describe('the API client, against a local HTTP server', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const failuresLeft = new Map<string, number>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ url: request.url ?? '', headers: request.headers });
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      const failures = failuresLeft.get(path) ?? 0;
      if (failures > 0) {
        failuresLeft.set(path, failures - 1);
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"Service Unavailable"}');
        return;
      }
      if (request.headers.authorization !== 'Bearer good-key') {
        response
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"error":"unauthorized","message":"Missing or invalid credentials"}');
        return;
      }
      if (path === '/prod/v1/broken') {
        response
          .writeHead(400, { 'content-type': 'application/json' })
          .end('{"error":"bad_request","message":"query.to: must not be before from"}');
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ path, query: new URL(request.url ?? '/', 'http://x').search }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the key as a bearer token and reads JSON under the base path', async () => {
    const answer = await apiClient(base, 'good-key').get<{ path: string; query: string }>('v1/metrics?surveyId=s1');
    expect(answer).toEqual({ path: '/prod/v1/metrics', query: '?surveyId=s1' });
    expect(seen.at(-1)?.headers.authorization).toBe('Bearer good-key');
    expect(seen.at(-1)?.headers.cookie).toBeUndefined();
  });

  it('turns error answers into ApiErrors with the API’s message', async () => {
    await expect(apiClient(base, 'wrong-key').get('v1/surveys')).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
      message: 'Missing or invalid credentials',
    });
    const failure = await apiClient(base, 'good-key')
      .get('v1/broken')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 400, message: 'query.to: must not be before from' });
  });

  it('tries a read again after a transient failure, and gives up after three attempts', async () => {
    failuresLeft.set('/prod/v1/flaky', 2);
    const before = seen.length;
    expect(await apiClient(base, 'good-key', [1, 1]).get('v1/flaky')).toMatchObject({ path: '/prod/v1/flaky' });
    expect(seen.length - before).toBe(3);

    failuresLeft.set('/prod/v1/down', 3);
    await expect(apiClient(base, 'good-key', [1, 1]).get('v1/down')).rejects.toMatchObject({ status: 503 });
  });

  it('does not retry a client error', async () => {
    const before = seen.length;
    await expect(apiClient(base, 'wrong-key', [1, 1]).get('v1/x')).rejects.toMatchObject({ status: 401 });
    expect(seen.length - before).toBe(1);
  });

  it('reports an unreachable API as a network error', async () => {
    await expect(apiClient('http://127.0.0.1:1/', 'k', []).get('v1/surveys')).rejects.toBeInstanceOf(NetworkError);
  });
});
