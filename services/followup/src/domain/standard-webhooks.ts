import { createHmac } from 'node:crypto';

/**
 * Outbound webhooks signed per the Standard Webhooks spec (https://www.standardwebhooks.com): the receiver checks
 * `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)) with the shared `whsec_` secret.
 */

const SECRET_PREFIX = 'whsec_';
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

export class InvalidWebhookSecretError extends Error {
  override readonly name = 'InvalidWebhookSecretError';
}

export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The key bytes of a `whsec_<base64>` secret (the prefix is optional, as the spec's libraries accept). */
export function webhookSecretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new InvalidWebhookSecretError('A webhook secret is whsec_ followed by base64');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new InvalidWebhookSecretError(`A webhook secret has ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  }
  return key;
}

/** A new secret from random bytes the caller draws (`crypto.randomBytes(32)`), so this stays deterministic. */
export function formatWebhookSecret(randomKey: Uint8Array): string {
  if (randomKey.length < MIN_SECRET_BYTES || randomKey.length > MAX_SECRET_BYTES) {
    throw new InvalidWebhookSecretError(`A webhook secret has ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  }
  return `${SECRET_PREFIX}${Buffer.from(randomKey).toString('base64')}`;
}

export function webhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', webhookSecretKey(secret)).update(`${id}.${timestampSeconds}.${body}`, 'utf8');
  return `v1,${mac.digest('base64')}`;
}

/**
 * The headers for one delivery. `id` must stay the same across retries of the same message (receivers de-duplicate
 * on it), `body` must be the exact string sent. With several secrets (during a rotation) every signature is sent,
 * space-separated, and a receiver holding either secret accepts the message.
 */
export function signWebhook(message: {
  id: string;
  timestamp: Date;
  body: string;
  secrets: readonly [string, ...string[]];
}): StandardWebhookHeaders {
  const timestampSeconds = Math.floor(message.timestamp.getTime() / 1000);
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': message.secrets
      .map((secret) => webhookSignature(secret, message.id, timestampSeconds, message.body))
      .join(' '),
  };
}
