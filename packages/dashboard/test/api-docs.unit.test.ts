import { describe, expect, it } from 'vitest';
import openApiDocument from '../../../services/collection/generated/openapi.json';
import { apiDocsPage } from '../api-docs';

describe('the API reference page', () => {
  it('has a section for every operation of the document, and no script or inline style', () => {
    const page = apiDocsPage(openApiDocument);
    const operations = Object.values(openApiDocument.paths).flatMap((methods) => Object.keys(methods));
    expect(page.match(/<section /g)).toHaveLength(operations.length);
    expect(page).toContain('<code>GET /v1/metrics</code>');
    expect(page).toContain('API key with the <code>read:metrics</code> scope');
    expect(page).not.toMatch(/<script|style=/);
  });

  it('escapes what the document says', () => {
    const page = apiDocsPage({
      info: { title: 'T', version: '1' },
      paths: { '/x': { get: { summary: '<img src=x onerror=alert(1)>', responses: { 200: { description: 'ok' } } } } },
    });
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img');
  });
});
