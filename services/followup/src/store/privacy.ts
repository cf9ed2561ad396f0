import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RetentionPolicy } from '@cxloop/events';
import { cached, isConditionFailure } from '@cxloop/lambda-kit';
import { defaultRetentionPolicy } from '@cxloop/privacy';
import type { ErasureRecord, ErasureService } from '../domain/erasure';

/**
 * `ERASURE#<id>` / `RECORD`: an erasure request and which services reported. It holds no identifier, only how many
 * were erased, and ends 400 days after the request (long enough to answer "when was I erased?").
 */
export const privacyKeys = {
  erasure: (erasureId: string) => ({ pk: `ERASURE#${erasureId}`, sk: 'RECORD' }),
  retention: { pk: 'CONFIG#retention', sk: 'CONFIG' },
};

const ERASURE_RECORD_DAYS = 400;

export function erasureStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    async create(record: ErasureRecord): Promise<void> {
      const expiresAt = Math.floor(Date.parse(record.requestedAt) / 1000) + ERASURE_RECORD_DAYS * 24 * 3600;
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...privacyKeys.erasure(record.erasureId), record, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async get(erasureId: string): Promise<ErasureRecord | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: privacyKeys.erasure(erasureId), ConsistentRead: true }),
      );
      return result.Item?.record as ErasureRecord | undefined;
    },

    /** Keeps a service's first report; a redelivered one changes nothing. Undefined for an unknown erasure. */
    async recordReport(
      erasureId: string,
      service: ErasureService,
      report: { items: Record<string, number>; erasedAt: string },
    ): Promise<ErasureRecord | undefined> {
      try {
        const result = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: privacyKeys.erasure(erasureId),
            UpdateExpression: 'SET #record.#services.#service = :report',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#record.#services.#service)',
            ExpressionAttributeNames: { '#record': 'record', '#services': 'services', '#service': service },
            ExpressionAttributeValues: { ':report': report },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return result.Attributes?.record as ErasureRecord;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return this.get(erasureId);
      }
    },
  };
}
export type ErasureStore = ReturnType<typeof erasureStore>;

/** Follow-up's copy of the retention policy (collection owns it and announces changes): the newest version wins. */
export function retentionStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    async get(): Promise<RetentionPolicy> {
      const result = await db.send(new GetCommand({ TableName: tableName, Key: privacyKeys.retention }));
      return (result.Item?.policy as RetentionPolicy | undefined) ?? defaultRetentionPolicy;
    },

    /** Returns whether this version was newer than the stored one. */
    async putIfNewer(policy: RetentionPolicy, version: number): Promise<boolean> {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...privacyKeys.retention, policy, version },
            ConditionExpression: 'attribute_not_exists(pk) OR version < :version',
            ExpressionAttributeValues: { ':version': version },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}

const RETENTION_CACHE_MS = 60_000;

/**
 * The retention policy as the stores read it at each write: from the table at most once a minute per instance, so
 * a change reaches every function within a minute.
 */
export const currentRetention = (db: DynamoDBDocumentClient, tableName: string) =>
  cached(() => retentionStore(db, tableName).get(), RETENTION_CACHE_MS);
