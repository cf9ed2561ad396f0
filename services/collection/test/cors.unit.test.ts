import { ForbiddenError, type HttpEvent } from '@cxloop/lambda-kit';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createSurveySchema, newSurvey } from '../src/domain/surveys';
import { parseOrigin, requireSameOrigin, withSurveyCors } from '../src/handlers/cors';
import { surveysPerInvocation } from '../src/handlers/shared';

const survey = newSurvey(
  createSurveySchema.parse({ name: 'NPS', allowedOrigins: ['https://shop.example.com'] }),
  'srv_1',
  new Date('2026-11-20T10:00:00Z'),
);
const context = {} as Context;

function setup() {
  let reads = 0;
  let routed = 0;
  const surveys = surveysPerInvocation({
    get: async (surveyId) => {
      reads++;
      return surveyId === survey.id ? survey : undefined;
    },
  });
  const handler = withSurveyCors(async (event) => {
    routed++;
    await surveys.get(event.pathParameters?.surveyId ?? '');
    return { statusCode: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"validation_failed"}' };
  }, surveys);
  const call = (origin: string | undefined, surveyId = survey.id) =>
    handler({ headers: origin ? { origin } : {}, pathParameters: { surveyId } } as unknown as HttpEvent, context);
  return { call, counts: () => ({ reads, routed }) };
}

describe('withSurveyCors', () => {
  it('adds CORS headers for an allowed origin, to error answers too, reading the survey once', async () => {
    const { call, counts } = setup();
    const result = await call('https://shop.example.com');
    expect(result).toMatchObject({
      statusCode: 400,
      headers: { 'access-control-allow-origin': 'https://shop.example.com', vary: 'Origin' },
    });
    expect(counts()).toEqual({ reads: 1, routed: 1 });
  });

  it('refuses another origin before the route runs', async () => {
    const { call, counts } = setup();
    const result = await call('https://evil.example');
    expect(result).toMatchObject({ statusCode: 403 });
    expect(JSON.stringify(result)).not.toContain('access-control-allow-origin');
    expect(counts().routed).toBe(0);
  });

  it.each([
    ['null', 'Origin null'],
    ['not a url', 'not an http(s) origin'],
    ['https://shop.example.com/checkout', 'not an http(s) origin'],
    ['chrome-extension://abcdef', 'not an http(s) origin'],
  ])('refuses Origin %s with 403 saying why, before the route runs', async (origin, reason) => {
    const { call, counts } = setup();
    const result = await call(origin);
    expect(result).toMatchObject({ statusCode: 403 });
    expect(JSON.parse(String((result as { body: string }).body)).message).toContain(reason);
    expect(counts().routed).toBe(0);
  });

  it('passes requests without Origin, and unknown surveys, to the route as they are', async () => {
    const { call, counts } = setup();
    expect(await call(undefined)).not.toHaveProperty('headers.access-control-allow-origin');
    expect(await call('https://shop.example.com', 'srv_missing')).not.toHaveProperty(
      'headers.access-control-allow-origin',
    );
    expect(counts().routed).toBe(2);
  });

  it('reads the survey again in the next invocation', async () => {
    const { call, counts } = setup();
    await call('https://shop.example.com');
    await call('https://shop.example.com');
    expect(counts().reads).toBe(2);
  });

  it('always allows the deployment’s own origin (its demo and hosted pages), never a look-alike', async () => {
    let routed = 0;
    const handler = withSurveyCors(
      async () => {
        routed++;
        return { statusCode: 200, body: '{}' };
      },
      surveysPerInvocation({ get: async () => survey }),
    );
    const call = (origin: string) =>
      handler(
        {
          headers: { origin, host: 'api.example.com' },
          pathParameters: { surveyId: survey.id },
          requestContext: { domainName: 'api.example.com' },
        } as unknown as HttpEvent,
        context,
      );
    expect(await call('https://api.example.com')).toMatchObject({
      statusCode: 200,
      headers: { 'access-control-allow-origin': 'https://api.example.com' },
    });
    expect(await call('https://api.example.com.evil.example')).toMatchObject({ statusCode: 403 });
    expect(await call('null')).toMatchObject({ statusCode: 403 });
    expect(routed).toBe(1);
  });
});

describe('parseOrigin', () => {
  it('takes an origin exactly as browsers send it, nothing else', () => {
    expect(parseOrigin('https://shop.example.com')?.host).toBe('shop.example.com');
    expect(parseOrigin('http://localhost:3000')?.host).toBe('localhost:3000');
    for (const header of ['null', '', 'shop.example.com', 'https://shop.example.com/', 'HTTPS://shop.example.com']) {
      expect(parseOrigin(header)).toBeUndefined();
    }
  });
});

describe('requireSameOrigin (hosted page form posts)', () => {
  const post = (origin: string | undefined) =>
    ({ headers: { host: 'api.example.com', ...(origin === undefined ? {} : { origin }) } }) as unknown as HttpEvent;
  const refusal = (origin: string | undefined) => {
    try {
      requireSameOrigin(post(origin), 'only from itself');
    } catch (error) {
      if (error instanceof ForbiddenError) return error.message;
      throw error;
    }
  };

  it('lets the page post to itself, and clients that are not browsers', () => {
    expect(refusal('https://api.example.com')).toBeUndefined();
    expect(refusal(undefined)).toBeUndefined();
  });

  it('refuses another site, an opaque origin and a malformed header with 403, never a crash', () => {
    expect(refusal('https://evil.example')).toBe('only from itself');
    expect(refusal('null')).toContain('Origin null');
    expect(refusal('http://[::1')).toContain('not an http(s) origin');
    expect(refusal('api.example.com')).toContain('not an http(s) origin');
  });
});
