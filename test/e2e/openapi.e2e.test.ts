import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

describe('GET /v1/openapi.json', () => {
  let system: TestRuntime;

  beforeAll(async () => {
    system = await startTestRuntime();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('serves the API’s OpenAPI 3.1 document without a key', async () => {
    const response = await system.api('/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const document = (await response.json()) as { paths: Record<string, unknown> };
    const result = await new Validator().validate(document);
    expect(result.valid, JSON.stringify(result.errors)).toBe(true);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/surveys', '/v1/metrics', '/u/{token}']));
    expect(JSON.stringify(document)).not.toMatch(/test-admin-key|Bearer [A-Za-z0-9]{20,}/);
  });
});
