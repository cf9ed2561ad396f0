import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gatewayError, type HttpRequest, type HttpResponse } from '../http/http-message';

/** API Gateway's limit on a request body. */
export const maxBodyBytes = 10 * 1024 * 1024;

export type RequestHandler = (request: HttpRequest) => Promise<HttpResponse>;

export interface ListeningServer {
  url: string;
  close(): Promise<void>;
}

/** A node:http server that turns requests into {@link HttpRequest}s for the handler and writes its answers. */
export async function listen(host: string, port: number, handler: RequestHandler): Promise<ListeningServer> {
  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing, handler);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${urlHost}:${address.port}`, close: () => closeServer(server) };
}

async function serve(incoming: IncomingMessage, outgoing: ServerResponse, handler: RequestHandler): Promise<void> {
  let response: HttpResponse;
  try {
    const body = await readBody(incoming);
    response =
      body === 'too-large' ? gatewayError(413, 'Request Entity Too Large') : await handler(toRequest(incoming, body));
  } catch (error) {
    response = gatewayError(500, 'Internal Server Error');
    console.error('[runtime] request failed', error);
  }
  if (outgoing.headersSent) return;
  const headers = response.headers.filter(([name]) => name.toLowerCase() !== 'content-length');
  headers.push(['content-length', String(response.body.length)]);
  outgoing.writeHead(response.statusCode, headers.flat());
  outgoing.end(response.body);
}

function toRequest(incoming: IncomingMessage, body: Buffer): HttpRequest {
  const url = incoming.url ?? '/';
  const queryAt = url.indexOf('?');
  const headers: Array<[string, string]> = [];
  for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
    headers.push([incoming.rawHeaders[index] as string, incoming.rawHeaders[index + 1] as string]);
  }
  return {
    method: incoming.method ?? 'GET',
    path: queryAt < 0 ? url : url.slice(0, queryAt),
    rawQueryString: queryAt < 0 ? '' : url.slice(queryAt + 1),
    headers,
    body,
    sourceIp: (incoming.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    protocol: `HTTP/${incoming.httpVersion}`,
  };
}

/** Reads the whole body; past the limit it keeps draining the request (so the 413 can be sent) but drops the data. */
function readBody(incoming: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    incoming.on('end', () => resolve(size > maxBodyBytes ? 'too-large' : Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
