import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type VersionedDocument, versionedDocumentStore } from '@cxloop/lambda-kit';
import { defaultFollowUpConfig, type FollowUpConfig, followUpConfigSchema } from '../domain/config';

/** `CONFIG#followup` / `CONFIG`: the follow-up config, one document with a version for optimistic concurrency. */
export const configKey = () => ({ pk: 'CONFIG#followup', sk: 'CONFIG' });

export type StoredConfig = VersionedDocument<'config', FollowUpConfig>;

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
  const document = versionedDocumentStore(db, tableName, configKey(), {
    field: 'config',
    parse: (stored) => followUpConfigSchema.parse(stored),
    defaults: defaultFollowUpConfig,
    conflict: (expected, current) => new ConfigVersionConflictError(expected, current),
  });
  return {
    get: document.get,

    /** Replaces the config; with `expectedVersion`, only if it is still at that version. */
    async put(config: FollowUpConfig, updatedBy: string, now: Date, expectedVersion?: number): Promise<StoredConfig> {
      return document.put(await document.get(), config, updatedBy, now, expectedVersion);
    },
  };
}
export type ConfigStore = ReturnType<typeof configStore>;
