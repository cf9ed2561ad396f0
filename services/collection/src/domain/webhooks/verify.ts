import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookProvider } from './providers';

export interface WebhookRequest {
  /** The body exactly as received: signatures are computed over these bytes, never over re-serialised JSON. */
  rawBody: Buffer;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  secret: string;
  now: Date;
}

export type VerificationResult = { ok: true } | { ok: false; reason: string };

const ok: VerificationResult = { ok: true };
const rejected = (reason: string): VerificationResult => ({ ok: false, reason });

/** Zendesk signs a timestamp; a delivery further than this from now, either way, is treated as a replay. */
export const zendeskTimestampTolerance = 5 * 60 * 1000;

/**
 * Compares through SHA-256 digests of both sides: the buffers handed to `timingSafeEqual` always have the same length,
 * so neither a length check nor the comparison itself reveals how much of a forged value was right.
 */
function constantTimeEqual(received: Buffer, expected: Buffer): boolean {
  const digest = (value: Buffer) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(received), digest(expected));
}

function hmac(algorithm: 'sha1' | 'sha256', key: string, ...parts: Buffer[]): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

interface SignatureScheme {
  header: string;
  algorithm: 'sha1' | 'sha256';
  encoding: 'hex' | 'base64';
  /** Text before the digest in the header value, e.g. `sha1=`. */
  prefix?: string;
}

function verifyBodySignature(scheme: SignatureScheme, request: WebhookRequest, ...signedPrefix: Buffer[]) {
  const headerValue = request.headers[scheme.header];
  if (!headerValue) return rejected(`missing ${scheme.header} header`);
  if (scheme.prefix !== undefined && !headerValue.startsWith(scheme.prefix)) {
    return rejected(`${scheme.header} header does not start with ${scheme.prefix}`);
  }
  const received = Buffer.from(headerValue.slice(scheme.prefix?.length ?? 0).trim(), scheme.encoding);
  const expected = hmac(scheme.algorithm, request.secret, ...signedPrefix, request.rawBody);
  return constantTimeEqual(received, expected) ? ok : rejected(`${scheme.header} does not match the body`);
}

function verifySharedToken(presented: string | undefined, request: WebhookRequest, where: string) {
  if (!presented) return rejected(`missing ${where}`);
  return constantTimeEqual(Buffer.from(presented), Buffer.from(request.secret)) ? ok : rejected(`${where} is wrong`);
}

function verifyZendesk(request: WebhookRequest): VerificationResult {
  const timestamp = request.headers['x-zendesk-webhook-signature-timestamp'];
  if (!timestamp) return rejected('missing x-zendesk-webhook-signature-timestamp header');
  const signedAt = Date.parse(timestamp);
  if (Number.isNaN(signedAt)) return rejected('x-zendesk-webhook-signature-timestamp is not a timestamp');
  if (Math.abs(request.now.getTime() - signedAt) > zendeskTimestampTolerance) {
    return rejected('x-zendesk-webhook-signature-timestamp is more than 5 minutes away from now');
  }
  return verifyBodySignature(
    { header: 'x-zendesk-webhook-signature', algorithm: 'sha256', encoding: 'base64' },
    request,
    Buffer.from(timestamp),
  );
}

/** Freshdesk does not sign: the automation rule sends our token in a custom header, or as the HTTP Basic password. */
function verifyFreshdesk(request: WebhookRequest): VerificationResult {
  const token = request.headers['x-cxloop-token'];
  if (token !== undefined) return verifySharedToken(token, request, 'x-cxloop-token header');
  const authorization = request.headers.authorization;
  const basic = authorization?.match(/^Basic\s+(\S+)$/i)?.[1];
  if (!basic) return rejected('missing x-cxloop-token header or Basic authorization');
  const credentials = Buffer.from(basic, 'base64').toString('utf8');
  const separator = credentials.indexOf(':');
  const password = separator === -1 ? undefined : credentials.slice(separator + 1);
  return verifySharedToken(password, request, 'Basic authorization password');
}

const verifiers: Record<WebhookProvider, (request: WebhookRequest) => VerificationResult> = {
  zendesk: verifyZendesk,
  freshdesk: verifyFreshdesk,
  intercom: (request) =>
    verifyBodySignature({ header: 'x-hub-signature', algorithm: 'sha1', encoding: 'hex', prefix: 'sha1=' }, request),
  helpscout: (request) =>
    verifyBodySignature({ header: 'x-helpscout-signature', algorithm: 'sha1', encoding: 'base64' }, request),
  // Trustpilot publishes no signing scheme; the subscription URL carries our token.
  trustpilot: (request) => verifySharedToken(request.query.token, request, 'token query parameter'),
  typeform: (request) =>
    verifyBodySignature(
      { header: 'typeform-signature', algorithm: 'sha256', encoding: 'base64', prefix: 'sha256=' },
      request,
    ),
  delighted: (request) =>
    verifyBodySignature(
      { header: 'x-delighted-webhook-signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' },
      request,
    ),
  // The HMAC key is `<api_key>&<api_secret>`, which is what `secret` must hold.
  surveymonkey: (request) =>
    verifyBodySignature({ header: 'sm-signature', algorithm: 'sha1', encoding: 'base64' }, request),
  // Pub/Sub push can attach an OIDC token instead; checking it needs Google's keys, so the pure check is the URL token.
  google_business_profile: (request) => verifySharedToken(request.query.token, request, 'token query parameter'),
};

/**
 * Proves that a delivery comes from the provider (or at least from someone holding the integration's secret). The
 * reason of a rejection names what is missing or wrong, never the secret or the expected signature.
 */
export function verifyWebhook(provider: WebhookProvider, request: WebhookRequest): VerificationResult {
  if (request.secret.length === 0) return rejected('the integration has no secret configured');
  return verifiers[provider](request);
}
