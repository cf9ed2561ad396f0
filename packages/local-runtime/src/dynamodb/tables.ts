import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  paginateListTables,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../template/resources/tables';

/** The CreateTable request for a table of the template, on demand like every cxloop table. */
export function createTableInput(table: TableDefinition): CreateTableCommandInput {
  return {
    TableName: table.name,
    KeySchema: table.keySchema,
    AttributeDefinitions: table.attributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST',
    ...(table.globalSecondaryIndexes.length > 0 ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes } : {}),
    ...(table.localSecondaryIndexes.length > 0 ? { LocalSecondaryIndexes: table.localSecondaryIndexes } : {}),
  };
}

/** Creates the tables that do not exist yet (a persistent data directory keeps the others) and their TTL settings. */
export async function ensureTables(client: DynamoDBClient, tables: TableDefinition[]): Promise<{ created: string[] }> {
  const existing = new Set<string>();
  for await (const page of paginateListTables({ client }, {})) {
    for (const name of page.TableNames ?? []) existing.add(name);
  }
  const missing = tables.filter((table) => !existing.has(table.name));
  await Promise.all(
    missing.map(async (table) => {
      await client.send(new CreateTableCommand(createTableInput(table)));
      if (table.ttlAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: table.name,
            TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
          }),
        );
      }
    }),
  );
  return { created: missing.map((table) => table.name) };
}
