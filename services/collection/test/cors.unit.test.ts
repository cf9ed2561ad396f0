import type { HttpEvent } from '@cxloop/lambda-kit';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createSurveySchema, newSurvey } from '../src/domain/surveys';
import { withSurveyCors } from '../src/handlers/cors';
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
