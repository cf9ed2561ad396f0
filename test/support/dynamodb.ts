import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { serviceTableCreateInput } from '../../infra/lib/service-table';

/** A fresh table with the keys of every cxloop service table, in the integration project's DynamoDB Local. */
export async function createServiceTable(prefix = 'test'): Promise<{ db: DynamoDBDocumentClient; tableName: string }> {
  const client = new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const tableName = `${prefix}-${randomUUID()}`;
  await client.send(new CreateTableCommand(serviceTableCreateInput(tableName)));
  return {
    db: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    tableName,
  };
}
