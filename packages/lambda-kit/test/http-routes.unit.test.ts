import { defineRoute } from '@cxloop/http-contracts';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConflictError, mapError } from '../src/errors';
import { type HttpEvent, httpRoutes, json } from '../src/http';

class SurveyClashError extends Error {}

const rename = defineRoute({
  method: 'PUT',
  path: '/v1/things/{thingId}',
  auth: 'admin',
  summary: 'Renames a thing',
  request: { path: z.object({ thingId: z.string().max(5) }), body: z.object({ name: z.string().min(1) }) },
  responses: { 200: z.object({ thingId: z.string(), name: z.string(), by: z.string() }) },
});
const clash = defineRoute({
  method: 'POST',
  path: '/v1/clash',
  auth: 'public',
  summary: 'Always clashes',
  responses: { 204: z.object({}) },
});

const handler = httpRoutes(
  [rename, clash],
  {
    'PUT /v1/things/{thingId}': async ({ path, body, principal }) =>
      json(200, { thingId: path.thingId, name: body.name, by: principal.id }),
    'POST /v1/clash': async () => {
      throw new SurveyClashError('clash');
    },
  },
  { errors: [mapError(SurveyClashError, (error) => new ConflictError(error.message))] },
);

const call = async (routeKey: string, request: { scopes?: string; thingId?: string; body?: string } = {}) => {
  const event = {
    routeKey,
    headers: { 'content-type': 'application/json' },
    pathParameters: { thingId: request.thingId ?? 'abc' },
    body: request.body ?? '{"name":"Box"}',
    requestContext: {
      requestId: 'req-1',
      authorizer:
        request.scopes === undefined
          ? { lambda: { authenticated: 'false' } }
          : { lambda: { authenticated: 'true', principal: 'key-1', scopes: request.scopes } },
    },
  } as unknown as HttpEvent;
  const result = (await handler(event, {} as Context)) as { statusCode: number; body: string };
  return { status: result.statusCode, body: JSON.parse(result.body) };
};

describe('httpRoutes', () => {
  it('hands the route its parsed path, body and principal', async () => {
    expect(await call('PUT /v1/things/{thingId}', { scopes: 'admin' })).toEqual({
      status: 200,
      body: { thingId: 'abc', name: 'Box', by: 'key-1' },
    });
  });

  it("checks the contract's scope before anything else", async () => {
    expect((await call('PUT /v1/things/{thingId}', { thingId: 'too-long' })).status).toBe(401);
    const forbidden = await call('PUT /v1/things/{thingId}', { scopes: 'read:metrics', thingId: 'too-long' });
    expect(forbidden).toMatchObject({ status: 403, body: { message: 'This key lacks the admin scope' } });
  });

  it('answers 400 naming the failing field of the path or body', async () => {
    const badPath = await call('PUT /v1/things/{thingId}', { scopes: 'admin', thingId: 'too-long' });
    expect(badPath).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
    expect(badPath.body.message).toMatch(/^path\.thingId: /);
    const badBody = await call('PUT /v1/things/{thingId}', { scopes: 'admin', body: '{"name":""}' });
    expect(badBody.body.message).toMatch(/^body\.name: /);
  });

  it("maps the service's own errors through its rules, and unknown routes to 404", async () => {
    expect(await call('POST /v1/clash')).toEqual({ status: 409, body: { error: 'conflict', message: 'clash' } });
    expect((await call('GET /v1/nowhere')).status).toBe(404);
  });
});
