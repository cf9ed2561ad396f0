import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchGetAll, batchWriteAll, type Item, UnprocessedItemsError } from '../src/dynamodb';

/**
 * DynamoDB Local never leaves keys unprocessed, so this fake stands in for a throttled table: each call processes at
 * most `perCall` of what it is sent and hands the rest back.
 */
function throttledTable(perCall: number) {
  const stored = new Map<string, Item>();
  const calls: number[] = [];
  const db = {
    async send(command: { input: { RequestItems: Record<string, unknown> } }) {
      const [tableName, request] = Object.entries(command.input.RequestItems)[0] as [string, unknown];
      if (Array.isArray(request)) {
        const writes = request as { PutRequest: { Item: Item } }[];
        calls.push(writes.length);
        for (const { PutRequest } of writes.slice(0, perCall))
          stored.set(`${PutRequest.Item.pk}|${PutRequest.Item.sk}`, PutRequest.Item);
        return { UnprocessedItems: writes.length > perCall ? { [tableName]: writes.slice(perCall) } : {} };
      }
      const { Keys } = request as { Keys: Item[] };
      calls.push(Keys.length);
      const found = Keys.slice(0, perCall).flatMap((key) => stored.get(`${key.pk}|${key.sk}`) ?? []);
      const rest = Keys.slice(perCall);
      return {
        Responses: { [tableName]: found },
        UnprocessedKeys: rest.length > 0 ? { [tableName]: { Keys: rest } } : {},
      };
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, stored, calls };
}

const noSleep = async () => {};
const items = (count: number) => Array.from({ length: count }, (_, index) => ({ pk: `P#${index}`, sk: 'S', index }));

describe('batchWriteAll and batchGetAll', () => {
  it('write and read back every item through unprocessed rounds, 25 and 100 per call', async () => {
    const table = throttledTable(7);
    await batchWriteAll(table.db, 't', items(150), { sleep: noSleep });
    expect(table.stored.size).toBe(150);
    expect(Math.max(...table.calls)).toBe(25);

    table.calls.length = 0;
    const keys = [...items(150), { pk: 'P#0', sk: 'S' }, { pk: 'missing', sk: 'S' }].map(({ pk, sk }) => ({ pk, sk }));
    const found = await batchGetAll(table.db, 't', keys, { sleep: noSleep, maxRounds: 30 });
    expect(found.size).toBe(150);
    expect(found.get('P#149\u0000S')).toMatchObject({ index: 149 });
    expect(Math.max(...table.calls)).toBe(100);
  });

  it('back off with jitter under a ceiling that doubles each round', async () => {
    const delays: number[] = [];
    const table = throttledTable(1);
    await batchWriteAll(table.db, 't', items(5), { baseDelayMs: 10, sleep: async (ms) => void delays.push(ms) });
    expect(delays).toHaveLength(4);
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(10 * 2 ** (index + 1));
    });
  });

  it('throw after the last round instead of dropping what is still unprocessed', async () => {
    const table = throttledTable(1);
    await expect(batchWriteAll(table.db, 't', items(5), { maxRounds: 3, sleep: noSleep })).rejects.toThrow(
      new UnprocessedItemsError('BatchWriteItem left 2 of 5 unprocessed'),
    );
    await expect(
      batchGetAll(
        table.db,
        't',
        items(5).map(({ pk, sk }) => ({ pk, sk })),
        { maxRounds: 2, sleep: noSleep },
      ),
    ).rejects.toThrow(UnprocessedItemsError);
  });
});
