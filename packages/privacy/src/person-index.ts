import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PersonIdentifier } from '@cxloop/events';
import { batchWriteAll, type Item, type ItemKey, isConditionFailure, queryAll } from '@cxloop/lambda-kit';

export type { ItemKey };

/**
 * The person index every service keeps in its own table: one pointer item per (identifier, item holding personal
 * data), written *before* the item it points to, so nothing personal is ever stored that an erasure cannot find
 * with a Query. A pointer ends with its item (same TTL).
 */
export const personIndexKeys = {
  pointer: (hash: string, kind: string, target: ItemKey): ItemKey => ({
    pk: `PERSONAL#${hash}`,
    sk: `${kind}#${target.pk}#${target.sk}`,
  }),
  erasure: (erasureId: string): ItemKey => ({ pk: `ERASURE#${erasureId}`, sk: 'PROGRESS' }),
};

/** The pointer items that make `target` (an item of `kind`) findable by each identifier. */
export function personIndexItems(
  identifiers: readonly PersonIdentifier[],
  kind: string,
  target: ItemKey,
  expiresAt: number | undefined,
): Item[] {
  const unique = new Map(identifiers.map((identifier) => [identifier.hash, identifier]));
  return [...unique.values()].map((identifier) => ({
    ...personIndexKeys.pointer(identifier.hash, kind, target),
    kind,
    targetPk: target.pk,
    targetSk: target.sk,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  }));
}

/**
 * Writes the pointers that make `target` findable (before the caller writes `target` itself). Unprocessed items are
 * retried with backoff; if some still are after that, it throws rather than leave an item no erasure could find.
 */
export async function writePersonIndex(
  db: DynamoDBDocumentClient,
  tableName: string,
  identifiers: readonly PersonIdentifier[],
  kind: string,
  target: ItemKey,
  expiresAt: number | undefined,
): Promise<void> {
  await batchWriteAll(db, tableName, personIndexItems(identifiers, kind, target, expiresAt));
}

export interface PersonalItem {
  kind: string;
  target: ItemKey;
  pointer: ItemKey;
}

/** Every item the index knows for these identifiers (each pointer once; one target may appear under several). */
export async function findPersonalItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  identifiers: readonly PersonIdentifier[],
): Promise<PersonalItem[]> {
  const found: PersonalItem[] = [];
  for (const { hash } of new Map(identifiers.map((identifier) => [identifier.hash, identifier])).values()) {
    const pointers = await queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `PERSONAL#${hash}` },
    });
    for (const item of pointers) {
      found.push({
        kind: String(item.kind),
        target: { pk: String(item.targetPk), sk: String(item.targetSk) },
        pointer: { pk: String(item.pk), sk: String(item.sk) },
      });
    }
  }
  return found;
}

/** Erases (deletes or irreversibly anonymises) one item; called again for the same item, it does nothing. */
export type EraseItem = (target: ItemKey) => Promise<void>;

const PROGRESS_DAYS = 30;

/**
 * Erases every item the index knows for these identifiers, with the eraser of each item's kind, and returns how
 * many of each kind this erasure touched (0 for a kind it found none of). Each pointer is removed together with the count it adds (one
 * transaction), after its item was erased: a crash at any point leaves either the pointer (the redelivered request
 * erases that item again, harmlessly) or the count, so a retried erasure reports the same totals.
 */
export async function erasePersonalItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  erasureId: string,
  identifiers: readonly PersonIdentifier[],
  erasers: Readonly<Record<string, EraseItem>>,
  now: Date,
): Promise<Record<string, number>> {
  const progressKey = personIndexKeys.erasure(erasureId);
  const expiresAt = Math.floor(now.getTime() / 1000) + PROGRESS_DAYS * 24 * 60 * 60;
  const erasedTargets = new Set<string>();
  for (const item of await findPersonalItems(db, tableName, identifiers)) {
    const eraser = erasers[item.kind];
    if (!eraser) throw new Error(`No eraser for personal items of kind ${item.kind}`);
    const targetId = `${item.kind}#${item.target.pk}#${item.target.sk}`;
    if (!erasedTargets.has(targetId)) await eraser(item.target);
    erasedTargets.add(targetId);
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: tableName, Key: item.pointer, ConditionExpression: 'attribute_exists(pk)' } },
            {
              // Several identifiers may point at one item: it counts once, remembered by name in `counted`.
              Update: {
                TableName: tableName,
                Key: progressKey,
                UpdateExpression: 'SET expiresAt = :expiresAt ADD #count :one, counted :targets',
                ConditionExpression: 'attribute_not_exists(counted) OR NOT contains(counted, :target)',
                ExpressionAttributeNames: { '#count': `count_${item.kind}` },
                ExpressionAttributeValues: {
                  ':expiresAt': expiresAt,
                  ':one': 1,
                  ':targets': new Set([targetId]),
                  ':target': targetId,
                },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Counted already (another identifier's pointer, or an earlier delivery): the pointer just goes.
      await db.send(new DeleteCommand({ TableName: tableName, Key: item.pointer }));
    }
  }
  const progress = await db.send(new GetCommand({ TableName: tableName, Key: progressKey, ConsistentRead: true }));
  const counts: Record<string, number> = Object.fromEntries(Object.keys(erasers).map((kind) => [kind, 0]));
  for (const [name, value] of Object.entries(progress.Item ?? {})) {
    if (name.startsWith('count_')) counts[name.slice('count_'.length)] = Number(value);
  }
  return counts;
}
