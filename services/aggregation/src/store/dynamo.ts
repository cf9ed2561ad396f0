import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type Key = { pk: string; sk: string };
export type Item = Record<string, unknown>;

const BATCH_GET_MAX_KEYS = 100;

export const keyId = (key: Key) => `${key.pk}\u0000${key.sk}`;

/** Reads items by key, 100 keys per call, retrying what DynamoDB leaves unprocessed; missing items are absent. */
export async function batchGet(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  { consistent }: { consistent: boolean },
): Promise<Map<string, Item>> {
  const unique = [...new Map(keys.map((key) => [keyId(key), { pk: key.pk, sk: key.sk }])).values()];
  const found = new Map<string, Item>();
  for (let start = 0; start < unique.length; start += BATCH_GET_MAX_KEYS) {
    let pending: Key[] = unique.slice(start, start + BATCH_GET_MAX_KEYS);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
      const result = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent } } }),
      );
      for (const item of result.Responses?.[tableName] ?? []) found.set(keyId(item as Key), item);
      pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
    }
  }
  return found;
}
