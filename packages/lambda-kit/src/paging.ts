import type { DelightedPage } from '@cxloop/http-contracts';
import type { HttpEvent } from './http';

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/**
 * The absolute URL of this request with some query parameters replaced: the host is the one the client called (its
 * Host header, else API Gateway's domain name, with the port it carries), the scheme API Gateway's
 * `X-Forwarded-Proto` (https unless said, http for a loopback host as in the local runtime).
 */
export function requestUrl(event: HttpEvent, parameters: Record<string, string>): string {
  const host = event.headers?.host ?? event.requestContext.domainName;
  const scheme = event.headers?.['x-forwarded-proto'] ?? (LOOPBACK_HOST.test(host) ? 'http' : 'https');
  const query = new URLSearchParams(event.rawQueryString ?? '');
  for (const [name, value] of Object.entries(parameters)) query.set(name, value);
  return `${scheme}://${host}${event.rawPath}?${query}`;
}

/**
 * The RFC 8288 `Link` header of a page of a Delighted list (`Link: <…page=3…>; rel="next"`) when another page
 * follows: Delighted's clients follow it as a full URL, keeping every other parameter of the request.
 */
export function delightedPageLink(event: HttpEvent, page: DelightedPage, hasMore: boolean): Record<string, string> {
  if (!hasMore) return {};
  return { link: `<${requestUrl(event, { page: String(page.page + 1) })}>; rel="next"` };
}

/**
 * The same for a list read page by page from DynamoDB: the next page's cursor rides in the link as `page_info`
 * (as Delighted's own cursor-paged lists do), so reaching the next page re-reads none before it.
 */
export function delightedCursorLink(
  event: HttpEvent,
  page: DelightedPage,
  cursor: string | undefined,
): Record<string, string> {
  if (cursor === undefined) return {};
  return { link: `<${requestUrl(event, { page: String(page.page + 1), page_info: cursor })}>; rel="next"` };
}
