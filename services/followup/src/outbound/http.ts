import type { LookupAddress } from 'node:dns';
import { lookup as systemLookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressRefusal, checkOutboundUrl, OutboundRefusedError, type OutboundUrlPolicy } from '../domain/url-policy';

/** Every address a host name resolves to. */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

/** The system resolver (getaddrinfo, /etc/hosts included), as a connection would use it. */
export const resolveWithSystem: ResolveHost = (hostname) => systemLookup(hostname, { all: true, verbatim: true });

export interface TransportRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Used for the connection instead of DNS: hands out only the addresses that were checked. */
  lookup: LookupFunction;
}

export interface TransportResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Read with `for await`; leaving the loop early destroys the stream (and the connection with it). */
  body: AsyncIterable<Uint8Array>;
}

/** One HTTP exchange on the wire; tests replace it so that nothing is ever connected. */
export type Transport = (url: URL, request: TransportRequest) => Promise<TransportResponse>;

/** node:http(s), which never follows redirects and takes a `lookup` per request. */
export const nodeTransport: Transport = (url, { method, headers, body, signal, lookup }) =>
  new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, { method, headers, signal, lookup }, (response) =>
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: response }),
    );
    request.once('error', reject);
    request.end(body);
  });

/** A `lookup` that answers with the given (checked) addresses, whatever DNS would say now. */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family =
      options.family === 4 || options.family === 'IPv4'
        ? 4
        : options.family === 6 || options.family === 'IPv6'
          ? 6
          : undefined;
    const usable = family === undefined ? [...addresses] : addresses.filter((address) => address.family === family);
    const [first] = usable;
    if (first === undefined) {
      callback(Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }), '');
    } else if (options.all) {
      callback(null, usable);
    } else {
      callback(null, first.address, first.family);
    }
  };
}

/** Reads a body up to `maxBytes` while it streams, then stops reading (the rest is never downloaded). */
export async function readCapped(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk.subarray(0, maxBytes - size));
    size += Math.min(chunk.byteLength, maxBytes - size);
    if (size >= maxBytes) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface OutboundHttpOptions {
  policy: OutboundUrlPolicy;
  resolve?: ResolveHost;
  transport?: Transport;
  /** Longest body kept (default 64 KiB): Slack's error codes and Zendesk's ticket ids are far shorter. */
  maxBodyBytes?: number;
}

export interface OutboundResponse {
  status: number;
  header: (name: string) => string | undefined;
  body: string;
}

export type OutboundRequest = Omit<TransportRequest, 'lookup'>;

/**
 * HTTP under the outbound URL policy: the URL is checked, its host resolved and every address checked before
 * anything is connected, and the connection is then pinned to those addresses, so a DNS answer that changes in
 * between (rebinding) cannot redirect it. A refusal throws an `OutboundRefusedError` naming the host and the address,
 * never the path or query (a Slack webhook URL's path is its secret). Bodies are read up to a cap.
 */
export function outboundHttp(options: OutboundHttpOptions) {
  const resolve = options.resolve ?? resolveWithSystem;
  const transport = options.transport ?? nodeTransport;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  return async (url: string, request: OutboundRequest): Promise<OutboundResponse> => {
    const checked = checkOutboundUrl(url, options.policy);
    if (!checked.ok) throw new OutboundRefusedError(`refused: the URL ${checked.reason}`);
    const { target } = checked;
    const addresses = target.ipLiteral
      ? [{ address: target.ipLiteral, family: isIP(target.ipLiteral) }]
      : await resolve(target.host);
    const refusal = addressRefusal(
      target,
      addresses.map((address) => address.address),
    );
    if (refusal) throw new OutboundRefusedError(`refused: ${refusal}`);
    const response = await transport(target.url, { ...request, lookup: pinnedLookup(addresses) });
    let body = '';
    try {
      body = await readCapped(response.body, maxBodyBytes);
    } catch {
      // A body cut off by the timeout or the peer: the status alone decides the outcome.
    }
    return {
      status: response.status,
      header: (name) => {
        const value = response.headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : value;
      },
      body,
    };
  };
}
export type OutboundHttp = ReturnType<typeof outboundHttp>;
