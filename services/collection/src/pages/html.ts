import { createHash } from 'node:crypto';

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => entities[character] ?? character);
}

/** A CSP source that allows exactly this inline script or style. */
export function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source).digest('base64')}'`;
}

export interface HtmlPage {
  lang: string;
  title: string;
  body: string;
  style: string;
  /** Inline script, allowed by its hash. */
  script?: string;
  /** Extra CSP directives (e.g. the demo page loads /widget.js and lets it call the API). */
  csp?: string;
}

export interface RenderedPage {
  statusCode: number;
  headers: Record<string, string>;
  rawBody: string;
}

/** A complete, self-contained HTML page with a CSP that allows its own style and script and nothing else. */
export function htmlPage(page: HtmlPage, statusCode = 200): RenderedPage {
  const csp = [
    "default-src 'none'",
    `style-src ${cspHash(page.style)}`,
    ...(page.script ? [`script-src ${cspHash(page.script)}`, "connect-src 'self'"] : []),
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    ...(page.csp ? [page.csp] : []),
  ].join('; ');
  const rawBody = `<!doctype html>
<html lang="${escapeHtml(page.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${page.style}</style>
</head>
<body>
${page.body}
${page.script ? `<script>${page.script}</script>` : ''}
</body>
</html>
`;
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      // Invitation links carry their token in the query string: it must not leak to other sites. `same-origin`
      // (not `no-referrer`) so that the page's own form post carries its real Origin, which the post requires.
      'referrer-policy': 'same-origin',
      'cache-control': 'no-store',
    },
    rawBody,
  };
}
