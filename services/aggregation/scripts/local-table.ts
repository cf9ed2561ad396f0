import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { launchDynamoDbLocal } from '@cxloop/local-runtime';
import { serviceTableCreateInput } from '../../../infra/lib/service-table';

/** Scripts' DynamoDB: an endpoint given with --endpoint (e.g. the one `npm start` prints), or a DynamoDB Local of their own. */
export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  db: DynamoDBDocumentClient;
  stop: () => void;
}

export async function localDynamo(options: { endpoint?: string; dbPath?: string } = {}): Promise<LocalDynamo> {
  let stop = () => {};
  let endpoint = options.endpoint;
  if (!endpoint) {
    const dynamo = await launchDynamoDbLocal({ ...(options.dbPath ? { dataDir: options.dbPath } : {}), log: () => {} });
    stop = () => void dynamo.stop();
    endpoint = dynamo.endpoint;
  }
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  for (const deadline = Date.now() + 60_000; ; ) {
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`DynamoDB at ${endpoint} did not answer: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const db = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { endpoint, client, db, stop };
}

/** Creates a table with the keys and index of every cxloop service table. */
export async function createAggregationTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(serviceTableCreateInput(tableName)));
}

/** `--name value` and `--flag` arguments. */
export function argumentsOf(argv: readonly string[]): Map<string, string> {
  const parsed = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const name = argv[index]!;
    if (!name.startsWith('--')) continue;
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('--')) parsed.set(name.slice(2), 'true');
    else {
      parsed.set(name.slice(2), value);
      index++;
    }
  }
  return parsed;
}
