import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, type Item, keyId, queryAll } from '@cxloop/lambda-kit';
import { type CellKey, cellKeyId, histogramPacking, parsePackedAttribute, unpackSlots } from '../domain/counting';
import type { ScoreScale } from '../domain/metrics';
import { aggregationKeys, cellPartition } from './keys';

/**
 * One cell item: every value of one dimension in one bucket, each value's histogram packed into `value|group` numbers
 * (see `histogramPacking`). Several values share an item so that a batch of responses updates one item per dimension
 * and bucket instead of one per value.
 */
export interface CellItem {
  bucket: string;
  /** value → count per score index (score − the scale's lowest score). */
  counts: Map<string, number[]>;
}

export function cellItemOf(item: Item): CellItem {
  const counts = new Map<string, number[]>();
  for (const [name, packed] of Object.entries(item)) {
    const parsed = parsePackedAttribute(name);
    if (!parsed || !(typeof packed === 'number' || typeof packed === 'bigint')) continue;
    const slots = counts.get(parsed.value) ?? [];
    unpackSlots(packed).forEach((count, slot) => {
      slots[parsed.group * histogramPacking.slotsPerAttribute + slot] = count;
    });
    counts.set(parsed.value, slots);
  }
  return { bucket: String(item.sk), counts };
}

export function cellStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    /** The cell items of one dimension from bucket `from` to bucket `to` (inclusive, e.g. `day#2026-11-01`). */
    async range(
      surveyId: string,
      generation: number,
      scale: ScoreScale,
      dimension: string,
      from: string,
      to: string,
    ): Promise<CellItem[]> {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': cellPartition(surveyId, generation, scale, dimension),
          ':from': from,
          ':to': to,
        },
      });
      return items.map(cellItemOf);
    },

    /** The values each cell holds now; a missing cell holds none. */
    async values(surveyId: string, generation: number, keys: readonly CellKey[]): Promise<Map<string, Set<string>>> {
      const items = await batchGetAll(
        db,
        tableName,
        keys.map((key) => aggregationKeys.cell(surveyId, generation, key)),
        { consistentRead: false },
      );
      return new Map(
        keys.map((key) => {
          const item = items.get(keyId(aggregationKeys.cell(surveyId, generation, key)));
          return [cellKeyId(key), new Set(item ? cellItemOf(item).counts.keys() : [])];
        }),
      );
    },
  };
}
export type CellStore = ReturnType<typeof cellStore>;
