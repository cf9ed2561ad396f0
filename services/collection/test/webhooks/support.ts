import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Fixture {
  rawBody: Buffer;
  body: unknown;
}

/** Reads a fixture as the bytes a provider would send, and as the parsed body the normaliser receives. */
export function fixture(relativePath: string): Fixture {
  const rawBody = readFileSync(new URL(`./fixtures/${relativePath}`, import.meta.url));
  return { rawBody, body: JSON.parse(rawBody.toString('utf8')) };
}

/** Re-encodes a body changed by a test, as a provider would send it. */
export function fromBody(body: unknown): Fixture {
  return { rawBody: Buffer.from(JSON.stringify(body)), body };
}

/** Written from each provider's documented scheme, independently of the code under test. */
export function hmac(algorithm: 'sha1' | 'sha256', key: string, message: Buffer | string) {
  const digest = createHmac(algorithm, key).update(message).digest();
  return { hex: digest.toString('hex'), base64: digest.toString('base64') };
}

export const receivedAt = new Date('2026-11-20T09:15:00.412Z');
export const integrationId = 'int_01JD8X4Q2V6N3M5K7P9R1T3W5Y';
