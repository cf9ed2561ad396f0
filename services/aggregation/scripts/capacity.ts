import { BatchGetCommand, type DynamoDBDocumentClient, NumberValue, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Commit, WriteAction } from '../src/store';

/**
 * Write units by AWS's published rules, because DynamoDB Local reports only one item's units for a whole
 * TransactWriteItems call (a 10-item transaction reports 2). Item size: every attribute name's UTF-8 bytes plus its
 * value's size (strings: UTF-8 bytes; numbers: (significant digits)/2 + 1, rounded up; booleans and null: 1; lists and maps:
 * 3 bytes plus 1 per element plus the elements, and map keys; sets: their elements). A write costs one unit per
 * started kilobyte of the larger of the item before and after it, two in a transaction (prepare and commit).
 */
export function itemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof NumberValue) {
    const digits = value.toString().replace('-', '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
    return Math.ceil(Math.max(1, digits.length) / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Set) return [...value].reduce((sum, element) => sum + valueSize(element), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + valueSize(element),
        0,
      )
    );
  }
  return 0;
}

export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

type Key = { pk: string; sk: string };

function keyOf(action: WriteAction): Key {
  const target = action.Put?.Item ?? action.Update?.Key ?? action.ConditionCheck?.Key ?? action.Delete?.Key;
  return { pk: String(target?.pk), sk: String(target?.sk) };
}

export interface CapacityMeter {
  commit: Commit;
  /** Write units by AWS's rules, and what DynamoDB Local reported, over every transaction so far. */
  totals(): { units: number; reported: number; transactions: number; actions: number };
}

/**
 * A commit that meters every transaction: by AWS's rules (reading each target item before and after; the reads are
 * not metered) and as DynamoDB Local reports it.
 */
export function meteredCommit(db: DynamoDBDocumentClient, tableName: string): CapacityMeter {
  let units = 0;
  let reported = 0;
  let transactions = 0;
  let actions = 0;
  const sizes = async (keys: Key[]) => {
    const found = new Map<string, number>();
    const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
    for (let start = 0; start < unique.length; start += 100) {
      const result = await db.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: unique.slice(start, start + 100), ConsistentRead: true } },
        }),
      );
      for (const item of result.Responses?.[tableName] ?? []) found.set(`${item.pk}\u0000${item.sk}`, itemSize(item));
    }
    return found;
  };
  return {
    async commit(writeActions) {
      const keys = writeActions.map(keyOf);
      const before = await sizes(keys);
      const result = await db.send(
        new TransactWriteCommand({ TransactItems: writeActions, ReturnConsumedCapacity: 'TOTAL' }),
      );
      const after = await sizes(keys);
      reported += (result.ConsumedCapacity ?? []).reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
      transactions++;
      actions += writeActions.length;
      for (const [index, action] of writeActions.entries()) {
        const id = `${keys[index]!.pk}\u0000${keys[index]!.sk}`;
        const written = action.Put?.Item ? itemSize(action.Put.Item) : (after.get(id) ?? 0);
        units += 2 * writeUnits(Math.max(before.get(id) ?? 0, written));
      }
    },
    totals: () => ({ units, reported, transactions, actions }),
  };
}
