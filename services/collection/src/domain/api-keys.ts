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

/**
 * The API key of an `Authorization` header: `Bearer <key>`, or `Basic base64(<key>:<password>)` as Delighted's
 * clients send it (the key is the user name; the password is ignored, Delighted's clients send none).
 */
export function presentedApiKey(authorization: string | undefined): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(authorization ?? '');
  if (!basic) return undefined;
  const credentials = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const user = credentials.slice(0, credentials.includes(':') ? credentials.indexOf(':') : undefined);
  return user === '' ? undefined : user;
}

export const createApiKeySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    scopes: z
      .array(z.enum(apiScopes))
      .min(1)
      .refine((scopes) => new Set(scopes).size === scopes.length, 'must not repeat a scope'),
    surveyId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe("delighted keys only, and required for them: the survey (Delighted's project) the key acts on"),
  })
  .superRefine((input, context) => {
    const delighted = input.scopes.includes('delighted');
    if (delighted && input.scopes.length > 1)
      context.addIssue({ code: 'custom', path: ['scopes'], message: 'a delighted key has no other scope' });
    if (delighted && input.surveyId === undefined)
      context.addIssue({ code: 'custom', path: ['surveyId'], message: 'required for a delighted key' });
    if (!delighted && input.surveyId !== undefined)
      context.addIssue({ code: 'custom', path: ['surveyId'], message: 'only delighted keys are bound to a survey' });
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
  /** The survey a `delighted` key acts on. */
  surveyId?: string;
}

/** 256 random bits; the prefix lets secret scanners recognise a leaked key. */
export function generateApiKey(): string {
  return `cxk_${randomBytes(32).toString('base64url')}`;
}

export function newApiKey(input: CreateApiKeyInput, id: string, createdBy: string, now: Date): ApiKey {
  return {
    id,
    name: input.name,
    scopes: input.scopes,
    ...(input.surveyId ? { surveyId: input.surveyId } : {}),
    createdAt: now.toISOString(),
    createdBy,
  };
}
