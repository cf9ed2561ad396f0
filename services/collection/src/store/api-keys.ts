import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { queryPage } from '@cxloop/lambda-kit';
import type { ApiKey } from '../domain/api-keys';
import { collectionKeys, listingQuery } from './keys';

/** Keys are found by the SHA-256 of the key (the authorizer) and, through gsi1, by id (listing, revoking). */
export function apiKeyStore(db: DynamoDBDocumentClient, tableName: string) {
  async function itemById(keyId: string) {
    const result = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :listing AND gsi1sk = :id',
        ExpressionAttributeValues: { ':listing': collectionKeys.apiKeyListing.gsi1pk, ':id': keyId },
      }),
    );
    return result.Items?.[0];
  }

  return {
    async create(apiKey: ApiKey, keyHash: string): Promise<void> {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...collectionKeys.apiKey(keyHash), ...collectionKeys.apiKeyListing, gsi1sk: apiKey.id, apiKey },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async getByHash(keyHash: string): Promise<ApiKey | undefined> {
      const result = await db.send(new GetCommand({ TableName: tableName, Key: collectionKeys.apiKey(keyHash) }));
      return result.Item?.apiKey as ApiKey | undefined;
    },

    async list(limit: number, cursor?: Record<string, unknown>) {
      const page = await queryPage(db, listingQuery(tableName, collectionKeys.apiKeyListing, limit), cursor);
      return { apiKeys: page.items.map((item) => item.apiKey as ApiKey), next: page.next };
    },

    /** Marks the key revoked (once: revoking again keeps the first time); undefined when there is no such key. */
    async revoke(keyId: string, now: Date): Promise<ApiKey | undefined> {
      const item = await itemById(keyId);
      if (!item) return undefined;
      const result = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET apiKey.revokedAt = if_not_exists(apiKey.revokedAt, :now)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes?.apiKey as ApiKey;
    },
  };
}
export type ApiKeyStore = ReturnType<typeof apiKeyStore>;
