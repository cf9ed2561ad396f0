import { BatchGetCommand, type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { type AttributeMap, itemSize as attributeItemSize, writeUnits } from '@cxloop/local-runtime';
import type { Commit, WriteAction } from '../src/store';

/**
 * Write units by AWS's published rules (`itemSize` and `writeUnits`, shared with the local runtime's meter), because
 * DynamoDB Local reports only one item's units for a whole TransactWriteItems call (a 10-item transaction reports 2).
 * A write costs one unit per started kilobyte of the larger of the item before and after it, two in a transaction
 * (prepare and commit).
 */
export const itemSize = (item: Record<string, unknown>) =>
  attributeItemSize(marshall(item, { removeUndefinedValues: true }) as AttributeMap);

export { writeUnits };

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
