import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { apiDocument, apiDocumentPath, apiRoutes, renderApiDocument } from '../lib/api-document';

describe('the OpenAPI document', () => {
  it('is the one the route contracts generate', () => {
    const committed = readFileSync(new URL(`../../${apiDocumentPath}`, import.meta.url), 'utf8');
    expect(committed, `${apiDocumentPath} is stale: run \`npm run openapi:generate\``).toBe(renderApiDocument());
  });

  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(apiDocument());
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has one operation per route, each with a summary, and route keys that are unique', () => {
    const document = apiDocument();
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(apiRoutes.map((route) => route.key).sort());
    expect(new Set(operations).size).toBe(apiRoutes.length);
  });

  it('names the scope of admin routes and leaves public ones open', () => {
    const { paths } = apiDocument();
    expect(paths['/v1/metrics']?.get).toMatchObject({ security: [{ apiKey: ['read:metrics'] }] });
    expect(paths['/v1/openapi.json']?.get).toMatchObject({ security: [] });
    expect(paths['/v1/surveys/{surveyId}/responses']?.post).toMatchObject({
      parameters: [{ name: 'surveyId', in: 'path', required: true }],
    });
  });
});
