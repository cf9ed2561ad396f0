import { describe, expect, it } from 'vitest';
import { RouteTable } from '../src/http/route-matcher';

const table = (...routeKeys: string[]) => new RouteTable(routeKeys.map((routeKey) => ({ routeKey, value: routeKey })));

describe('RouteTable', () => {
  it('matches path variables and decodes them', () => {
    expect(table('GET /items/{id}').match('GET', '/items/a%20b')).toEqual({
      routeKey: 'GET /items/{id}',
      value: 'GET /items/{id}',
      pathParameters: { id: 'a b' },
    });
  });

  it('prefers literal segments over variables, and full matches over greedy ones', () => {
    const routes = table('GET /items/{id}', 'GET /items/special', 'ANY /{proxy+}');
    expect(routes.match('GET', '/items/special')?.routeKey).toBe('GET /items/special');
    expect(routes.match('GET', '/items/7')?.routeKey).toBe('GET /items/{id}');
    expect(routes.match('GET', '/items/7/parts')).toMatchObject({
      routeKey: 'ANY /{proxy+}',
      pathParameters: { proxy: 'items/7/parts' },
    });
  });

  it('prefers a method over ANY and the longest literal prefix among greedy routes', () => {
    const routes = table('ANY /a/{proxy+}', 'GET /a/{proxy+}', 'ANY /a/b/{proxy+}');
    expect(routes.match('GET', '/a/x')?.routeKey).toBe('GET /a/{proxy+}');
    expect(routes.match('POST', '/a/x')?.routeKey).toBe('ANY /a/{proxy+}');
    expect(routes.match('GET', '/a/b/c')?.routeKey).toBe('ANY /a/b/{proxy+}');
  });

  it('needs every segment: no match for missing, extra or empty segments', () => {
    const routes = table('GET /items/{id}', 'GET /echo/{proxy+}');
    expect(routes.match('GET', '/items')).toBeUndefined();
    expect(routes.match('GET', '/items/')).toBeUndefined();
    expect(routes.match('GET', '/items/1/2')).toBeUndefined();
    expect(routes.match('GET', '/echo')).toBeUndefined();
    expect(routes.match('POST', '/items/1')).toBeUndefined();
  });

  it('falls back to $default', () => {
    const routes = table('GET /', '$default');
    expect(routes.match('GET', '/')?.routeKey).toBe('GET /');
    expect(routes.match('DELETE', '/anything')?.routeKey).toBe('$default');
  });
});
