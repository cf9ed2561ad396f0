import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type ItemKey, isConditionFailure } from './dynamodb';

export interface DocumentVersion {
  /** 0 while the defaults apply (nothing stored yet). */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

/** A stored document under its field name, and its version. */
export type VersionedDocument<F extends string, T> = { [P in F]: T } & DocumentVersion;

export interface VersionedDocumentOptions<F extends string, T> {
  /** The item's attribute holding the document, also its name in what `get` returns. */
  field: F;
  /** Parses what is stored, so that settings added to the schema later get their defaults. */
  parse: (stored: unknown) => T;
  defaults: T;
  /** The service's own error for a write that lost the race (its HTTP mapping turns it into a 409). */
  conflict: (expectedVersion: number, currentVersion: number) => Error;
}

/**
 * One settings document in one item, versioned for optimistic concurrency: `put` writes the version after the one it
 * read, only if that one is still stored, and with `expectedVersion` only if the caller saw that very version.
 */
export function versionedDocumentStore<F extends string, T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  key: ItemKey,
  { field, parse, defaults, conflict }: VersionedDocumentOptions<F, T>,
) {
  const stored = (value: T, meta: DocumentVersion) => ({ [field]: value, ...meta }) as VersionedDocument<F, T>;

  async function get(): Promise<VersionedDocument<F, T>> {
    const result = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    if (!result.Item) return stored(defaults, { version: 0 });
    return stored(parse(result.Item[field]), {
      version: Number(result.Item.version),
      ...(typeof result.Item.updatedAt === 'string' ? { updatedAt: result.Item.updatedAt } : {}),
      ...(typeof result.Item.updatedBy === 'string' ? { updatedBy: result.Item.updatedBy } : {}),
    });
  }

  return {
    get,

    /** Stores `value` as the version after `current` (what the caller read). */
    async put(
      current: VersionedDocument<F, T>,
      value: T,
      updatedBy: string,
      now: Date,
      expectedVersion?: number,
    ): Promise<VersionedDocument<F, T>> {
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw conflict(expectedVersion, current.version);
      }
      const next = stored(value, { version: current.version + 1, updatedAt: now.toISOString(), updatedBy });
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key, ...next },
            ...(current.version === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: 'version = :current',
                  ExpressionAttributeValues: { ':current': current.version },
                }),
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        throw conflict(expectedVersion ?? current.version, (await get()).version);
      }
      return next;
    },
  };
}
