import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type RetentionPolicy, retentionPolicySchema } from '@cxloop/events';
import { isConditionFailure } from '@cxloop/lambda-kit';
import { defaultRetentionPolicy } from '@cxloop/privacy';
import type { StoredRetentionPolicy } from '../domain/retention';
import { collectionKeys } from './keys';

export class RetentionPolicyVersionConflictError extends Error {
  override readonly name = 'RetentionPolicyVersionConflictError';
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`The retention policy is at version ${currentVersion}, not ${expectedVersion}`);
  }
}

export function retentionPolicyStore(db: DynamoDBDocumentClient, tableName: string) {
  async function get(): Promise<StoredRetentionPolicy> {
    const result = await db.send(
      new GetCommand({ TableName: tableName, Key: collectionKeys.retentionPolicy, ConsistentRead: true }),
    );
    if (!result.Item) return { policy: defaultRetentionPolicy, version: 0 };
    return {
      policy: retentionPolicySchema.parse(result.Item.policy),
      version: Number(result.Item.version),
      ...(typeof result.Item.updatedAt === 'string' ? { updatedAt: result.Item.updatedAt } : {}),
      ...(typeof result.Item.updatedBy === 'string' ? { updatedBy: result.Item.updatedBy } : {}),
    };
  }

  return {
    get,

    /** Stores the next version of the policy; with `expectedVersion`, only if it is still at that version. */
    async put(
      current: StoredRetentionPolicy,
      policy: RetentionPolicy,
      updatedBy: string,
      now: Date,
      expectedVersion?: number,
    ): Promise<StoredRetentionPolicy> {
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new RetentionPolicyVersionConflictError(expectedVersion, current.version);
      }
      const stored = { policy, version: current.version + 1, updatedAt: now.toISOString(), updatedBy };
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...collectionKeys.retentionPolicy, ...stored },
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
        throw new RetentionPolicyVersionConflictError(expectedVersion ?? current.version, (await get()).version);
      }
      return stored;
    },
  };
}
export type RetentionPolicyStore = ReturnType<typeof retentionPolicyStore>;
