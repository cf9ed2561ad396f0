import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { apiScopes } from '@cxloop/lambda-kit';
import * as z from 'zod';

/** API keys are stored only as their SHA-256: a leaked table does not leak usable keys. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Compares two secrets in constant time (hashing first makes the lengths equal). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1).max(200),
  scopes: z
    .array(z.enum(apiScopes))
    .min(1)
    .refine((scopes) => new Set(scopes).size === scopes.length, 'must not repeat a scope'),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

/** An API key as listed: never the key, never its hash. */
export interface ApiKey {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
}

/** 256 random bits; the prefix lets secret scanners recognise a leaked key. */
export function generateApiKey(): string {
  return `cxk_${randomBytes(32).toString('base64url')}`;
}

export function newApiKey(input: CreateApiKeyInput, id: string, createdBy: string, now: Date): ApiKey {
  return { id, name: input.name, scopes: input.scopes, createdAt: now.toISOString(), createdBy };
}
