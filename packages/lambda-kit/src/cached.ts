import { getSecret } from '@aws-lambda-powertools/parameters/secrets';

/**
 * A value loaded at most once per `ttlMs` per function instance (settings read on every event or request): a change
 * reaches every instance within the TTL. Concurrent callers share one load; a failed load is not cached.
 */
export function cached<T>(load: () => Promise<T>, ttlMs: number, clock: () => number = Date.now): () => Promise<T> {
  let entry: { value: Promise<T>; until: number } | undefined;
  return () => {
    const now = clock();
    if (!entry || entry.until <= now) {
      const value = load();
      entry = { value, until: now + ttlMs };
      value.catch(() => {
        if (entry?.value === value) entry = undefined;
      });
    }
    return entry.value;
  };
}

/** A value loaded on first use and kept while the instance is warm; a failed load is tried again by the next call. */
export const lazy = <T>(load: () => Promise<T>): (() => Promise<T>) => cached(load, Number.POSITIVE_INFINITY);

/**
 * A string secret from Secrets Manager, read on first use and kept while warm (or `maxAgeMs`, for a secret that may
 * be rotated); an empty or non-string secret is an error, and a failed read is tried again by the next call.
 */
export function secretText(secretId: string, maxAgeMs = Number.POSITIVE_INFINITY): () => Promise<string> {
  return cached(async () => {
    const value = await getSecret(secretId);
    if (typeof value !== 'string' || value === '') throw new Error('The secret is empty or not a string secret');
    return value;
  }, maxAgeMs);
}
