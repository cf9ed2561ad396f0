export interface BatchRetryOptions {
  /** Calls per chunk before giving up on what the service still leaves unprocessed (default 8). */
  maxRounds?: number;
  /** The first backoff's ceiling; it doubles every round, up to a second (default 25 ms). */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_BACKOFF_MS = 1_000;

export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends `chunk` again with whatever the last call left unprocessed (DynamoDB's unprocessed keys, EventBridge's failed
 * entries), with exponential backoff and full jitter, and throws when some is still left after `maxRounds` calls: a
 * caller never silently misses an item.
 */
export async function untilProcessed<T>(
  operation: string,
  chunk: T[],
  send: (pending: T[]) => Promise<T[]>,
  { maxRounds = 8, baseDelayMs = 25, sleep = wait }: BatchRetryOptions,
): Promise<void> {
  let pending = chunk;
  for (let round = 0; pending.length > 0; round += 1) {
    if (round === maxRounds) {
      throw new UnprocessedItemsError(`${operation} left ${pending.length} of ${chunk.length} unprocessed`);
    }
    if (round > 0) await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, baseDelayMs * 2 ** round));
    pending = await send(pending);
  }
}
