import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '@cxloop/lambda-kit';
import { defaultFollowUpConfig, type FollowUpConfig, followUpConfigSchema } from '../domain/config';

/** `CONFIG#followup` / `CONFIG`: the follow-up config, one document with a version for optimistic concurrency. */
export const configKey = () => ({ pk: 'CONFIG#followup', sk: 'CONFIG' });

export interface StoredConfig {
  config: FollowUpConfig;
  /** 0 while the defaults apply (nothing stored yet). */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

export class ConfigVersionConflictError extends Error {
  override readonly name = 'ConfigVersionConflictError';
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`The follow-up config is at version ${currentVersion}, not ${expectedVersion}`);
  }
}

export function configStore(db: DynamoDBDocumentClient, tableName: string) {
  async function get(): Promise<StoredConfig> {
    const result = await db.send(new GetCommand({ TableName: tableName, Key: configKey(), ConsistentRead: true }));
    if (!result.Item) return { config: defaultFollowUpConfig, version: 0 };
    return {
      // Parsed again so that settings added to the schema later get their defaults.
      config: followUpConfigSchema.parse(result.Item.config),
      version: Number(result.Item.version),
      ...(typeof result.Item.updatedAt === 'string' ? { updatedAt: result.Item.updatedAt } : {}),
      ...(typeof result.Item.updatedBy === 'string' ? { updatedBy: result.Item.updatedBy } : {}),
    };
  }

  return {
    get,

    /** Replaces the config; with `expectedVersion`, only if it is still at that version. */
    async put(config: FollowUpConfig, updatedBy: string, now: Date, expectedVersion?: number): Promise<StoredConfig> {
      const current = await get();
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new ConfigVersionConflictError(expectedVersion, current.version);
      }
      const stored: StoredConfig = { config, version: current.version + 1, updatedAt: now.toISOString(), updatedBy };
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...configKey(), ...stored },
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
        throw new ConfigVersionConflictError(expectedVersion ?? current.version, (await get()).version);
      }
      return stored;
    },
  };
}
export type ConfigStore = ReturnType<typeof configStore>;
