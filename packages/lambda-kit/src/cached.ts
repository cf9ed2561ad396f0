/**
 * A value loaded at most once per `ttlMs` per function instance (settings read on every event or request): a change
 * reaches every instance within the TTL. A failed load is not cached.
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
