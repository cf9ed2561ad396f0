/**
 * The API's reference page (`api.html`, built beside the dashboard): plain HTML from the OpenAPI document, no
 * script and no inline style, so that it loads under the dashboard's Content-Security-Policy.
 */
import { escapeHtml } from '../../services/collection/src/pages/html';

interface Schema {
  readonly type?: unknown;
  readonly description?: string;
}
interface Operation {
  readonly summary?: string;
  readonly description?: string;
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly parameters?: readonly { name: string; in: string; required?: boolean; schema?: Schema }[];
  readonly requestBody?: { content: Record<string, { schema?: unknown }> };
  readonly responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
}
export interface ApiDocument {
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly paths: Record<string, Record<string, Operation>>;
}

const anchorOf = (method: string, path: string) => `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');

const schemaBlock = (schema: unknown) =>
  schema && Object.keys(schema).length > 0
    ? `<details><summary>schema</summary><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></details>`
    : '';

function access(operation: Operation): string {
  const scopes = (operation.security ?? []).flatMap((requirement) => Object.values(requirement).flat());
  return scopes.length === 0 ? 'public' : `API key with the <code>${escapeHtml(scopes.join(' '))}</code> scope`;
}

function operationSection(path: string, method: string, operation: Operation): string {
  const parameters = operation.parameters ?? [];
  const body = Object.entries(operation.requestBody?.content ?? {});
  return [
    `<section id="${anchorOf(method, path)}">`,
    `<h2><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h2>`,
    `<p>${escapeHtml(operation.summary ?? '')}</p>`,
    operation.description ? `<p>${escapeHtml(operation.description)}</p>` : '',
    `<p>Access: ${access(operation)}</p>`,
    parameters.length
      ? `<table><thead><tr><th>parameter</th><th>in</th><th>required</th><th>type</th><th></th></tr></thead><tbody>${parameters
          .map(
            (parameter) =>
              `<tr><td><code>${escapeHtml(parameter.name)}</code></td><td>${parameter.in}</td><td>${parameter.required ? 'yes' : 'no'}</td><td>${escapeHtml(String(parameter.schema?.type ?? ''))}</td><td>${escapeHtml(parameter.schema?.description ?? '')}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '',
    ...body.map(
      ([mediaType, { schema }]) => `<h3>Body: <code>${escapeHtml(mediaType)}</code></h3>${schemaBlock(schema)}`,
    ),
    '<h3>Answers</h3><dl>',
    ...Object.entries(operation.responses).map(
      ([status, response]) =>
        `<dt>${escapeHtml(status)}</dt><dd>${escapeHtml(response.description)}${Object.entries(response.content ?? {})
          .map(([mediaType, { schema }]) => ` <code>${escapeHtml(mediaType)}</code>${schemaBlock(schema)}`)
          .join('')}</dd>`,
    ),
    '</dl></section>',
  ].join('\n');
}

export function apiDocsPage(document: ApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)}</title>
<link rel="stylesheet" href="app.css">
<link rel="icon" href="favicon.svg" type="image/svg+xml">
</head>
<body>
<main class="api-docs">
<h1>${escapeHtml(document.info.title)} <small>v${escapeHtml(document.info.version)}</small></h1>
<p>${escapeHtml(document.info.description ?? '')}</p>
<p>The machine-readable document: <a href="/v1/openapi.json"><code>GET /v1/openapi.json</code></a> (OpenAPI 3.1).</p>
<nav><ul>
${operations.map(({ path, method, operation }) => `<li><a href="#${anchorOf(method, path)}"><code>${method.toUpperCase()} ${escapeHtml(path)}</code></a> ${escapeHtml(operation.summary ?? '')}</li>`).join('\n')}
</ul></nav>
${operations.map(({ path, method, operation }) => operationSection(path, method, operation)).join('\n')}
</main>
</body>
</html>
`;
}
