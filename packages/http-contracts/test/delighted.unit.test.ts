import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { delightedPageQuery, delightedRoutes, delightedTimestamp, openApiDocument } from '../src';

const people = delightedRoutes({
  method: 'GET',
  path: '/people',
  summary: 'The people',
  request: { query: delightedPageQuery },
  responses: { 200: z.array(z.object({ id: z.string() })) },
});
const person = delightedRoutes({
  method: 'DELETE',
  path: '/people/{person}',
  summary: 'Deletes a person',
  request: { path: z.object({ person: z.string().min(1).max(10) }) },
  responses: { 202: z.object({ ok: z.boolean() }) },
});

describe('delightedRoutes', () => {
  it('gives a path its .json twin, served by the same implementation', () => {
    expect(people.map((route) => route.key)).toEqual(['GET /delighted/v1/people', 'GET /delighted/v1/people.json']);
    expect(people.map((route) => [route.auth, route.dialect])).toEqual([
      ['delighted', 'delighted'],
      ['delighted', 'delighted'],
    ]);
    expect(people[0].aliasOf).toBeUndefined();
    expect(people[1].aliasOf).toBe('GET /delighted/v1/people');
  });

  it('serves a path ending in a parameter with one route that strips .json from the parameter', () => {
    expect(person.map((route) => route.key)).toEqual(['DELETE /delighted/v1/people/{person}']);
    const schema = person[0].request.path!;
    expect(schema.parse({ person: 'a@b.co.json' })).toEqual({ person: 'a@b.co' });
    expect(schema.parse({ person: '123' })).toEqual({ person: '123' });
    // The parameter's own schema still applies, to the value without .json.
    expect(schema.safeParse({ person: '0123456789.json' }).success).toBe(true);
    expect(schema.safeParse({ person: '0123456789a.json' }).success).toBe(false);
  });

  it('refuses a trailing parameter without an object path schema naming it', () => {
    expect(() =>
      delightedRoutes({ method: 'GET', path: '/people/{person}', summary: 'x', responses: { 200: z.object({}) } }),
    ).toThrow(/path schema must be a z.object with a field for \{person\}/);
  });

  it('documents the routes under the Delighted tag with Basic auth and Delighted error bodies', () => {
    const document = openApiDocument({ title: 't', version: '1' }, [...people, ...person]);
    const operation = document.paths['/delighted/v1/people.json']?.get as Record<string, unknown>;
    expect(operation).toMatchObject({
      tags: ['Delighted'],
      security: [{ delighted: [] }],
      responses: {
        422: { content: { 'application/json': { schema: { $ref: '#/components/schemas/DelightedError' } } } },
      },
    });
    expect(Object.keys(operation.responses as object)).not.toContain('400');
    expect(document.components.securitySchemes).toMatchObject({ delighted: { type: 'http', scheme: 'basic' } });
    expect(document.tags).toEqual([expect.objectContaining({ name: 'Delighted' })]);
  });
});

describe('Delighted parameters', () => {
  it('pages with per_page 1–100 (20 unless said) and page from 1', () => {
    expect(delightedPageQuery.parse({})).toEqual({ per_page: 20, page: 1 });
    expect(delightedPageQuery.parse({ per_page: '100', page: '3' })).toEqual({ per_page: 100, page: 3 });
    expect(delightedPageQuery.safeParse({ per_page: '101' }).success).toBe(false);
    expect(delightedPageQuery.safeParse({ page: '0' }).success).toBe(false);
  });

  it('takes times as Unix seconds', () => {
    expect(delightedTimestamp.parse('1700000000')).toEqual(new Date(1_700_000_000_000));
    expect(delightedTimestamp.parse(0)).toEqual(new Date(0));
    expect(delightedTimestamp.safeParse('2024-01-01').success).toBe(false);
  });
});
