import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { type HttpRequest, type HttpResponse, headerValue } from '../http/http-message';
import type { StaticSiteDefinition, StaticSource } from '../template/static-sites';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/vnd.microsoft.icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

interface StoredObject {
  body: Buffer;
  etag: string;
  contentType: string;
  cacheControl?: string;
}

/**
 * Serves the CloudFront distributions of the template that the runtime knows how to serve (static-sites.ts): each
 * under its local path on the main server, from the folders the deployments would copy into the bucket, with the
 * distribution's response headers. Like CloudFront with an S3 origin through OAC: GET and HEAD only, the default root
 * object for the root, 403 for a key the bucket does not hold, ETags and `If-None-Match`.
 */
export class StaticSites {
  constructor(readonly sites: readonly StaticSiteDefinition[]) {}

  /** The site whose local path is `path` or a prefix of it. */
  private siteOf(path: string): StaticSiteDefinition | undefined {
    return this.sites.find((site) => path === site.localPath || path.startsWith(`${site.localPath}/`));
  }

  handles(path: string): boolean {
    return this.siteOf(path) !== undefined;
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const site = this.siteOf(request.path);
    if (!site) return text(404, 'Not Found');
    if (request.path === site.localPath) {
      // A relative link in index.html resolves against the folder: send the browser to it.
      const query = request.rawQueryString ? `?${request.rawQueryString}` : '';
      return { statusCode: 301, headers: [['location', `${site.localPath}/${query}`]], body: Buffer.alloc(0) };
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(403, 'Method Not Allowed', site.headers);
    let key: string;
    try {
      key = decodeURIComponent(request.path.slice(site.localPath.length + 1));
    } catch {
      return text(400, 'Bad Request', site.headers);
    }
    if (key === '' && site.defaultRootObject) key = site.defaultRootObject;
    const object = this.objectOf(site, key);
    if (!object) return text(403, 'AccessDenied', site.headers);
    const headers: Array<[string, string]> = [
      ['content-type', object.contentType],
      ['etag', object.etag],
      ...(object.cacheControl ? [['cache-control', object.cacheControl] as [string, string]] : []),
      ...site.headers,
    ];
    if (headerValue(request.headers, 'if-none-match') === object.etag) {
      return { statusCode: 304, headers, body: Buffer.alloc(0) };
    }
    return { statusCode: 200, headers, body: request.method === 'HEAD' ? Buffer.alloc(0) : object.body };
  }

  /**
   * The object a key names: from the last source that has it (a later deployment source overwrites an earlier one).
   * Read on every request (the files are small), so a rebuilt asset folder is served at once.
   */
  private objectOf(site: StaticSiteDefinition, key: string): StoredObject | undefined {
    for (const source of [...site.sources].reverse()) {
      if (!key.startsWith(source.keyPrefix)) continue;
      const file = fileIn(source.directory, key.slice(source.keyPrefix.length));
      if (!file) continue;
      const body = withMarkers(readFileSync(file), source);
      return {
        body,
        etag: `"${createHash('md5').update(body).digest('hex')}"`,
        contentType:
          source.systemMetadata['content-type'] ??
          contentTypes[extname(file).toLowerCase()] ??
          'application/octet-stream',
        ...(source.systemMetadata['cache-control'] ? { cacheControl: source.systemMetadata['cache-control'] } : {}),
      };
    }
    return undefined;
  }
}

/** The file for a key inside a folder, never outside it. */
function fileIn(directory: string, relative: string): string | undefined {
  if (relative === '' || relative.endsWith('/')) return undefined;
  const root = resolve(directory);
  const file = resolve(join(root, relative));
  if (!file.startsWith(`${root}${sep}`)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

/** The deployment replaces `Source.data`/`jsonData` markers with their deploy-time values; so does this. */
function withMarkers(body: Buffer, source: StaticSource): Buffer {
  const entries = Object.entries(source.markers);
  if (entries.length === 0) return body;
  let content = body.toString('utf8');
  for (const [marker, value] of entries) {
    content = content.split(marker).join(source.jsonEscape ? JSON.stringify(value).slice(1, -1) : value);
  }
  return Buffer.from(content, 'utf8');
}

function text(statusCode: number, message: string, extra: Array<[string, string]> = []): HttpResponse {
  return {
    statusCode,
    headers: [['content-type', 'text/plain; charset=utf-8'], ...extra],
    body: Buffer.from(message),
  };
}
