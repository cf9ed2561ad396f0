import { transactionLimits } from '../store';

/** Room left under the 4 MB transaction limit for request overhead. */
const TRANSACTION_BYTE_BUDGET = transactionLimits.bytes * 0.85;

export interface Packable {
  /** Ids of the items the unit writes; units sharing an item share its one action. */
  footprint: ReadonlySet<string>;
  bytes: number;
}

/** Greedily fills transactions up to DynamoDB's limits (100 distinct items, 4 MB), counting each shared item once. */
export function packIntoTransactions<T extends Packable>(units: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let items = new Set<string>();
  let bytes = 0;
  for (const unit of units) {
    const union = new Set([...items, ...unit.footprint]);
    if (chunk.length > 0 && (union.size > transactionLimits.actions || bytes + unit.bytes > TRANSACTION_BYTE_BUDGET)) {
      chunks.push(chunk);
      chunk = [];
      items = new Set(unit.footprint);
      bytes = 0;
    } else {
      items = union;
    }
    chunk.push(unit);
    bytes += unit.bytes;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

const raceReasons = new Set(['None', 'ConditionalCheckFailed', 'TransactionConflict', 'ThrottlingError']);

/** A transaction cancelled only because something it read changed, or because another transaction held an item. */
export function lostARace(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TransactionConflictException') return true;
  if (error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.every((reason) => raceReasons.has(reason.Code ?? 'None'));
}

/** Exponential backoff with full jitter before retry `attempt` (1, 2, …). */
export const backoff = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 20 * 2 ** attempt)));

export const MAX_ATTEMPTS = 8;
