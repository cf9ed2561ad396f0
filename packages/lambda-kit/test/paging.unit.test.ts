import { describe, expect, it } from 'vitest';
import type { HttpEvent } from '../src/http';
import { delightedPageLink, requestUrl } from '../src/paging';

const event = (headers: Record<string, string>, domainName = 'abc.execute-api.eu-west-1.amazonaws.com') =>
  ({
    headers,
    rawPath: '/delighted/v1/people',
    rawQueryString: 'page=1',
    requestContext: { domainName },
  }) as unknown as HttpEvent;

describe('requestUrl', () => {
  it("is the caller's own host and scheme: API Gateway's forwarded proto, https unless said", () => {
    expect(requestUrl(event({ host: 'api.example.com', 'x-forwarded-proto': 'https' }), { page: '2' })).toBe(
      'https://api.example.com/delighted/v1/people?page=2',
    );
    expect(requestUrl(event({}), {})).toBe(
      'https://abc.execute-api.eu-west-1.amazonaws.com/delighted/v1/people?page=1',
    );
    expect(requestUrl(event({ host: 'localhost:3000' }), {})).toBe('http://localhost:3000/delighted/v1/people?page=1');
  });
});

describe('delightedPageLink', () => {
  it('links the next page only when there is one', () => {
    expect(delightedPageLink(event({ host: '127.0.0.1:9' }), { page: 1, per_page: 20 }, false)).toEqual({});
    expect(delightedPageLink(event({ host: '127.0.0.1:9' }), { page: 1, per_page: 20 }, true)).toEqual({
      link: '<http://127.0.0.1:9/delighted/v1/people?page=2>; rel="next"',
    });
  });
});
