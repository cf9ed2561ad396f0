import type { SecondaryIndex, TableDefinition } from '../template/resources/tables';

/** A DynamoDB item as the wire protocol carries it: attribute name → `{ S: … }`, `{ N: … }`, `{ M: … }`, … */
export type AttributeMap = Record<string, AttributeValue>;
export type AttributeValue = {
  S?: string;
  N?: string;
  B?: string;
  BOOL?: boolean;
  NULL?: boolean;
  L?: AttributeValue[];
  M?: AttributeMap;
  SS?: string[];
  NS?: string[];
  BS?: string[];
};

/**
 * An item's size by AWS's published rules: every attribute name's UTF-8 bytes plus its value's size (strings: UTF-8
 * bytes; numbers: (significant digits)/2 + 1, rounded up; binary: its bytes; booleans and null: 1; lists and maps: 3
 * bytes plus 1 per element plus the elements, and map keys; sets: their elements).
 */
export function itemSize(item: AttributeMap): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return Buffer.from(value.B, 'base64').length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, element) => sum + Buffer.byteLength(element), 0);
  if (value.NS) return value.NS.reduce((sum, element) => sum + numberSize(element), 0);
  if (value.BS) return value.BS.reduce((sum, element) => sum + Buffer.from(element, 'base64').length, 0);
  if (value.L) return 3 + value.L.reduce((sum, element) => sum + 1 + valueSize(element), 0);
  if (value.M) {
    return (
      3 +
      Object.entries(value.M).reduce(
        (sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + valueSize(element),
        0,
      )
    );
  }
  return 0;
}

function numberSize(text: string): number {
  const digits = text.replace('-', '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** One write unit per started kilobyte, at least one. */
export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

export type ReadConsistency = 'eventual' | 'strong' | 'transactional';

/** One read unit per started 4 KB (at least one), half when eventually consistent, double in a transaction. */
export function readUnits(bytes: number, consistency: ReadConsistency): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  if (consistency === 'eventual') return units / 2;
  return consistency === 'transactional' ? units * 2 : units;
}

/**
 * The write units of one item's change, table and indexes: the table bills the larger of the item before and after;
 * each secondary index the item is in (before or after) bills its entry: one write when the item enters, leaves or
 * changes a projected attribute, two (delete and put) when its index key changes.
 */
export function itemWriteUnits(
  table: Pick<TableDefinition, 'keySchema' | 'globalSecondaryIndexes' | 'localSecondaryIndexes'>,
  before: AttributeMap | undefined,
  after: AttributeMap | undefined,
): { table: number; indexes: number } {
  const tableUnits = writeUnits(Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0));
  let indexes = 0;
  for (const index of [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes]) {
    const keyNames = index.KeySchema.map((key) => key.AttributeName);
    const entryBefore = before && indexEntry(table, index, before);
    const entryAfter = after && indexEntry(table, index, after);
    if (!entryBefore && !entryAfter) continue;
    if (!entryBefore || !entryAfter) {
      indexes += writeUnits(itemSize((entryBefore ?? entryAfter) as AttributeMap));
      continue;
    }
    const keyChanged = keyNames.some((name) => !sameValue(entryBefore[name], entryAfter[name]));
    if (keyChanged) indexes += writeUnits(itemSize(entryBefore)) + writeUnits(itemSize(entryAfter));
    else if (!sameValue({ M: entryBefore }, { M: entryAfter })) {
      indexes += writeUnits(Math.max(itemSize(entryBefore), itemSize(entryAfter)));
    }
  }
  return { table: tableUnits, indexes };
}

/** The attributes an index keeps of an item, or undefined when the item lacks the index's key (a sparse index). */
function indexEntry(
  table: Pick<TableDefinition, 'keySchema'>,
  index: SecondaryIndex,
  item: AttributeMap,
): AttributeMap | undefined {
  const indexKeys = index.KeySchema.map((key) => key.AttributeName);
  if (!indexKeys.every((name) => item[name] !== undefined)) return undefined;
  const projection = index.Projection.ProjectionType ?? 'ALL';
  if (projection === 'ALL') return item;
  const kept = new Set([
    ...table.keySchema.map((key) => key.AttributeName),
    ...indexKeys,
    ...(projection === 'INCLUDE' ? (index.Projection.NonKeyAttributes ?? []) : []),
  ]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => kept.has(name)));
}

function sameValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, element]) => [key, canonical(element)]),
    );
  }
  return value;
}

/** The item's primary key, by the table's key schema. */
export function keyOf(table: Pick<TableDefinition, 'keySchema'>, item: AttributeMap): AttributeMap {
  const key: AttributeMap = {};
  for (const { AttributeName } of table.keySchema) {
    const value = item[AttributeName];
    if (value) key[AttributeName] = value;
  }
  return key;
}
