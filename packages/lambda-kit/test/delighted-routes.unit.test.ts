import { defineRoute, delightedPageQuery, delightedRoutes } from '@cxloop/http-contracts';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { TooManyRequestsError } from '../src/errors';
import { type HttpEvent, httpRoutes, json } from '../src/http';
import { delightedPageLink } from '../src/paging';

const responses = delightedRoutes({
  method: 'GET',
  path: '/survey_responses',
  summary: 'Lists responses',
  request: { query: delightedPageQuery.extend({ order: z.enum(['asc', 'desc']).default('asc') }) },
  responses: { 200: z.array(z.object({ id: z.string() })) },
});
const throttled = delightedRoutes({ method: 'POST', path: '/busy', summary: 'Busy', responses: { 200: z.object({}) } });
const metrics = defineRoute({
  method: 'GET',
  path: '/v1/metrics',
  auth: 'read:metrics',
  summary: 'Metrics',
  responses: { 200: z.object({ by: z.string() }) },
});

const handler = httpRoutes([...responses, ...throttled, metrics], {
  'GET /delighted/v1/survey_responses': async ({ event, query, principal }) =>
    json(200, [{ id: `${principal.surveyId}:${query.order}:${query.page}` }], delightedPageLink(event, query, true)),
  'POST /delighted/v1/busy': async () => {
    throw new TooManyRequestsError('Slow down', 7);
  },
  'GET /v1/metrics': async ({ principal }) => json(200, { by: principal.id }),
});

type Caller = { scopes: string; surveyId?: string } | undefined;
const call = async (
  routeKey: string,
  caller: Caller,
  request: { query?: Record<string, string>; rawQueryString?: string; headers?: Record<string, string> } = {},
) => {
  const event = {
    routeKey,
    rawPath: routeKey.split(' ')[1],
    rawQueryString: request.rawQueryString ?? '',
    headers: { host: '127.0.0.1:4321', ...request.headers },
    queryStringParameters: request.query,
    requestContext: {
      requestId: 'req-1',
      domainName: '127.0.0.1:4321',
      authorizer: {
        lambda: caller
          ? { authenticated: 'true', principal: 'key-1', scopes: caller.scopes, surveyId: caller.surveyId }
          : { authenticated: 'false' },
      },
    },
  } as unknown as HttpEvent;
  const result = (await handler(event, {} as Context)) as {
    statusCode: number;
    body: string;
    headers: Record<string, string>;
  };
  return { status: result.statusCode, headers: result.headers, body: JSON.parse(result.body) };
};

const delightedKey = { scopes: 'delighted', surveyId: 'srv_1' };

describe('httpRoutes for Delighted routes', () => {
  it('serves both paths with one implementation and hands it the bound survey', async () => {
    for (const key of ['GET /delighted/v1/survey_responses', 'GET /delighted/v1/survey_responses.json']) {
      expect((await call(key, delightedKey, { query: { order: 'desc' } })).body).toEqual([{ id: 'srv_1:desc:1' }]);
    }
  });

  it('answers invalid parameters with a 422 naming each, as Delighted does', async () => {
    const answer = await call('GET /delighted/v1/survey_responses', delightedKey, { query: { per_page: '500' } });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      status: 422,
      errors: [{ field: 'per_page', code: 'invalid', message: expect.any(String) }],
    });
    expect(answer.body.message).toContain('per_page');
  });

  it('answers a missing key, and any key not bound to a survey (the admin key too), with a Basic challenge', async () => {
    for (const caller of [undefined, { scopes: 'admin' }, { scopes: 'delighted' }]) {
      const answer = await call('GET /delighted/v1/survey_responses', caller);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Basic realm="Delighted"');
      expect(answer.body).toMatchObject({ status: 401, message: expect.any(String) });
    }
    expect((await call('GET /delighted/v1/survey_responses', { scopes: 'admin' })).body.message).toContain(
      'bound to a survey',
    );
  });

  it('keeps a delighted key off every other route', async () => {
    const answer = await call('GET /v1/metrics', delightedKey);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: 'forbidden', message: 'This key lacks the read:metrics scope' });
  });

  it('answers 429 with Retry-After and 406 for an Accept without JSON', async () => {
    const busy = await call('POST /delighted/v1/busy', delightedKey);
    expect(busy).toMatchObject({ status: 429, headers: { 'retry-after': '7' }, body: { status: 429 } });
    const xml = await call('GET /delighted/v1/survey_responses', delightedKey, { headers: { accept: 'text/xml' } });
    expect(xml).toMatchObject({ status: 406, body: { status: 406 } });
    const any = await call('GET /delighted/v1/survey_responses', delightedKey, {
      headers: { accept: 'application/json, text/plain;q=0.5' },
    });
    expect(any.status).toBe(200);
  });

  it('links the next page with the absolute URL of the request, other parameters kept', async () => {
    const answer = await call('GET /delighted/v1/survey_responses', delightedKey, {
      query: { page: '2', per_page: '5' },
      rawQueryString: 'per_page=5&page=2&expand[]=person',
    });
    expect(answer.headers.link).toBe(
      '<http://127.0.0.1:4321/delighted/v1/survey_responses?per_page=5&page=3&expand%5B%5D=person>; rel="next"',
    );
  });
});
