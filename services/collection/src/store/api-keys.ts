import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { collectionKeys } from './keys';

export interface StoredApiKey {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  revokedAt?: string;
}

export function apiKeyStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    async getByHash(keyHash: string): Promise<StoredApiKey | undefined> {
      const result = await db.send(new GetCommand({ TableName: tableName, Key: collectionKeys.apiKey(keyHash) }));
      return result.Item?.apiKey as StoredApiKey | undefined;
    },
  };
}
