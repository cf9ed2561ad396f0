import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { retentionPolicySchema } from '@cxloop/events';
import { versionedDocumentStore } from '@cxloop/lambda-kit';
import { defaultRetentionPolicy } from '@cxloop/privacy';
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

/** The deployment's retention policy: one versioned document (`PUT /v1/retention` with `expectedVersion`). */
export function retentionPolicyStore(db: DynamoDBDocumentClient, tableName: string) {
  return versionedDocumentStore(db, tableName, collectionKeys.retentionPolicy, {
    field: 'policy',
    parse: (stored) => retentionPolicySchema.parse(stored),
    defaults: defaultRetentionPolicy,
    conflict: (expected, current) => new RetentionPolicyVersionConflictError(expected, current),
  });
}
export type RetentionPolicyStore = ReturnType<typeof retentionPolicyStore>;
