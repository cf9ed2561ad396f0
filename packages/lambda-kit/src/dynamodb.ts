import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient as DocumentClient,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type BatchRetryOptions, untilProcessed } from './unprocessed';

export { type BatchRetryOptions, UnprocessedItemsError } from './unprocessed';

let client: DynamoDBDocumentClient | undefined;

/** A shared document client; its endpoint comes from the standard AWS environment (the local runtime sets it). */
export function documentClient(): DynamoDBDocumentClient {
  client ??= DocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return client;
}

/** True when a conditional write or transaction failed only because its condition did not hold. */
export function isConditionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConditionalCheckFailedException') return true;
  if (error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed');
}

export type Item = Record<string, NativeAttributeValue>;
/** The primary key of an item of a cxloop service table. */
export interface ItemKey {
  pk: string;
  sk: string;
}

/** One page of a Query, and the cursor (`LastEvaluatedKey`) of the next one when there is more. */
export interface QueryPage {
  items: Item[];
  next?: Item;
}

/** The page of `input` that starts after `cursor` (the previous page's `next`), or the first. */
export async function queryPage(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  cursor?: Record<string, unknown>,
): Promise<QueryPage> {
  const result = await db.send(new QueryCommand({ ...input, ...(cursor ? { ExclusiveStartKey: cursor } : {}) }));
  return { items: result.Items ?? [], ...(result.LastEvaluatedKey ? { next: result.LastEvaluatedKey } : {}) };
}

/** Every page of `input` in turn, for work that needs all of a partition (or an index range) a page at a time. */
export async function* queryPages(db: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Item[]> {
  let cursor: Item | undefined;
  do {
    const page = await queryPage(db, input, cursor);
    yield page.items;
    cursor = page.next;
  } while (cursor);
}

/** Every item `input` matches. */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of queryPages(db, input)) items.push(...page);
  return items;
}

/** One string per key, for maps of items by key. */
export const keyId = (key: ItemKey) => `${key.pk}\u0000${key.sk}`;

const BATCH_GET_MAX_KEYS = 100;
const BATCH_WRITE_MAX_ITEMS = 25;

/**
 * Reads items by key, 100 keys per call (duplicate keys read once), retrying what DynamoDB leaves unprocessed. The
 * items found, by {@link keyId} of their key; missing items are absent.
 */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly ItemKey[],
  { consistentRead = false, ...retry }: BatchRetryOptions & { consistentRead?: boolean } = {},
): Promise<Map<string, Item>> {
  const unique = [...new Map(keys.map((key) => [keyId(key), { pk: key.pk, sk: key.sk }])).values()];
  const found = new Map<string, Item>();
  for (let start = 0; start < unique.length; start += BATCH_GET_MAX_KEYS) {
    await untilProcessed<Item>(
      'BatchGetItem',
      unique.slice(start, start + BATCH_GET_MAX_KEYS),
      async (pending) => {
        const result = await db.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistentRead } } }),
        );
        for (const item of result.Responses?.[tableName] ?? []) found.set(keyId(item as ItemKey), item);
        return result.UnprocessedKeys?.[tableName]?.Keys ?? [];
      },
      retry,
    );
  }
  return found;
}

/** Puts items, 25 per call, retrying what DynamoDB leaves unprocessed; throws rather than drop one. */
export async function batchWriteAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
  retry: BatchRetryOptions = {},
): Promise<void> {
  type WriteRequest = { PutRequest: { Item: Item } };
  for (let start = 0; start < items.length; start += BATCH_WRITE_MAX_ITEMS) {
    const chunk = items.slice(start, start + BATCH_WRITE_MAX_ITEMS).map((Item) => ({ PutRequest: { Item } }));
    await untilProcessed<WriteRequest>(
      'BatchWriteItem',
      chunk,
      async (pending) => {
        const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        return (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      },
      retry,
    );
  }
}

/**
 * Awaits a conditional write whose failed condition means there is nothing left to do (written already, or gone);
 * true when it wrote.
 */
export async function writeIfConditionHolds(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
