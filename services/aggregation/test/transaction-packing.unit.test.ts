import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { feedbackIdLowerBound } from '../src/store/keys';
import { lostARace, packIntoTransactions } from '../src/use-cases/transaction-packing';

const unit = (id: number, shared: string[], bytes = 1000) => ({
  id,
  footprint: new Set([`feedback:${id}`, ...shared]),
  bytes,
});

describe('packIntoTransactions', () => {
  it('counts an item several units share once, and never puts more than 100 items in one transaction', () => {
    const units = Array.from({ length: 120 }, (_, id) => unit(id, ['survey', 'cell:all', `cell:channel${id % 3}`]));
    const chunks = packIntoTransactions(units);
    expect(chunks.map((chunk) => chunk.length)).toEqual([95, 25]);
    for (const chunk of chunks) {
      expect(new Set(chunk.flatMap((packed) => [...packed.footprint])).size).toBeLessThanOrEqual(100);
    }
    expect(chunks.flat()).toEqual(units);
  });

  it('keeps a transaction under 4 MB', () => {
    const chunks = packIntoTransactions(Array.from({ length: 10 }, (_, id) => unit(id, [], 1_000_000)));
    expect(chunks.map((chunk) => chunk.length)).toEqual([3, 3, 3, 1]);
  });
});

describe('lostARace', () => {
  const cancelled = (...codes: string[]) =>
    Object.assign(new Error('cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: codes.map((Code) => ({ Code })),
    });

  it('retries conditions and conflicts, not invalid requests', () => {
    expect(lostARace(cancelled('None', 'ConditionalCheckFailed'))).toBe(true);
    expect(lostARace(cancelled('TransactionConflict', 'None'))).toBe(true);
    expect(lostARace(cancelled('None', 'ValidationError'))).toBe(false);
    expect(lostARace(new Error('boom'))).toBe(false);
  });
});

describe('feedbackIdLowerBound', () => {
  it('sorts below every ULID feedback id made at or after the instant, above those made before', () => {
    const instant = new Date('2026-11-20T00:00:00Z');
    const bound = feedbackIdLowerBound(instant);
    expect(`fb_${ulid(instant.getTime())}` >= bound).toBe(true);
    expect(`fb_${ulid(instant.getTime() + 1)}` >= bound).toBe(true);
    expect(`fb_${ulid(instant.getTime() - 1)}` < bound).toBe(true);
  });
});
