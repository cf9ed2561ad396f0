import { type createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Responder = (request: RecordedRequest) => { status?: number; body: unknown } | undefined;

/**
 * A local stand-in for the providers' APIs at the HTTP boundary: answers from `responders` (first match wins) and
 * records every request, so that tests check what cxloop sent as well as what it did with the answers.
 */
export async function startProviderServer(responders: Responder[]) {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://localhost');
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const answer = responders.map((responder) => responder(request)).find((candidate) => candidate !== undefined);
      outgoing.writeHead(answer?.status ?? (answer ? 200 : 404), { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify(answer?.body ?? { error: 'no recorded answer' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** A Google service account of the tests' own making: the token endpoint below checks assertions with its public key. */
export function testServiceAccount() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    credentials: {
      client_email: 'cxloop-test@project.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
    publicKey,
  };
}

/** An App Store Connect API key (EC P-256) of the tests' own making. */
export function testAppStoreKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    credentials: {
      issuerId: '57246542-96fe-1a63-e053-0824d011072a',
      keyId: '2X9R4HXF34',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
    publicKey,
  };
}

export function decodeJwt(token: string) {
  const [header, claims, signature] = token.split('.');
  const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
  return {
    header: decode(header) as Record<string, unknown>,
    claims: decode(claims) as Record<string, unknown>,
    signingInput: Buffer.from(`${header}.${claims}`),
    signature: Buffer.from(signature ?? '', 'base64url'),
  };
}

export function jwtSignatureValid(token: string, publicKey: ReturnType<typeof createPublicKey>): boolean {
  const { header, signingInput, signature } = decodeJwt(token);
  return header.alg === 'ES256'
    ? verify('sha256', signingInput, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)
    : verify('sha256', signingInput, publicKey, signature);
}

/** Google's token endpoint: issues `accessToken` for a JWT bearer assertion signed by `publicKey`'s account. */
export function googleTokenEndpoint(publicKey: ReturnType<typeof createPublicKey>, accessToken: string): Responder {
  return (request) => {
    if (request.method !== 'POST' || request.path !== '/token') return undefined;
    const form = new URLSearchParams(request.body);
    const assertion = form.get('assertion') ?? '';
    if (
      form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' ||
      !jwtSignatureValid(assertion, publicKey)
    ) {
      return { status: 400, body: { error: 'invalid_grant' } };
    }
    return { body: { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' } };
  };
}
