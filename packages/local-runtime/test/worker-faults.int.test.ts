import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FunctionPool } from '../src/lambda/function-pool';
import { providedModulesDirectory } from '../src/lambda/provided-modules';
import type { InvocationFaults } from '../src/lambda/worker/protocol';
import { workerScripts } from '../src/lambda/worker-scripts';
import { localCredentials } from '../src/local-credentials';

/** A function calling DynamoDB, SQS and EventBridge with the SDK the worker provides, reporting what each call gave. */
const probeSource = `
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const config = { region: 'us-east-1', maxAttempts: 2 };
const dynamo = new DynamoDBClient({ ...config, endpoint: process.env.DYNAMO_ENDPOINT });
const sqs = new SQSClient({ ...config, endpoint: 'http://127.0.0.1:9' });
const events = new EventBridgeClient({ ...config, endpoint: process.env.EVENTS_ENDPOINT });
const settle = (promise) => promise.then(
  (output) => ({ output: { FailedEntryCount: output.FailedEntryCount, Entries: output.Entries } }),
  (error) => ({ error: { name: error.name, message: error.message, retryable: error.$retryable ?? null, fault: error.$fault,
    status: error.$metadata?.httpStatusCode, attempts: error.$metadata?.attempts, requestId: error.$metadata?.requestId,
    reasons: error.CancellationReasons } }),
);
const put = (id) => ({ Put: { TableName: 'probe', Item: { pk: { S: id } } } });
export const handler = async (event) => {
  switch (event.call) {
    case 'transact': return settle(dynamo.send(new TransactWriteItemsCommand({ TransactItems: [put('a'), put('b')] })));
    case 'get': return settle(dynamo.send(new GetItemCommand({ TableName: event.table, Key: { pk: { S: event.key } } })));
    case 'sqs': return settle(sqs.send(new SendMessageCommand({ QueueUrl: 'http://127.0.0.1:9/000000000000/q', MessageBody: 'x' })));
    case 'events': return settle(events.send(new PutEventsCommand({ Entries: event.details.map((detail) =>
      ({ EventBusName: 'bus', Source: 'probe', DetailType: 'Probe', Detail: JSON.stringify({ n: detail }) })) })));
    case 'count':
      for (let i = 0; i < event.times; i++) {
        await dynamo.send(new UpdateItemCommand({ TableName: event.table, Key: { pk: { S: 'counter' } },
          UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
      }
      return 'counted';
  }
};
`;

const root = mkdtempSync(join(tmpdir(), 'cxloop-worker-faults-'));
const providedModules = providedModulesDirectory();
const dynamoEndpoint = inject('dynamoEndpoint');
const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: dynamoEndpoint, credentials: localCredentials });
const table = `worker-faults-${Date.now()}`;
/** Stands in for EventBridge: records each PutEvents body and accepts every entry, with an id naming its detail. */
const putEventsBodies: Array<{ Entries: Array<{ Detail: string }> }> = [];
const eventBridge = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => {
    body += chunk.toString('utf8');
  });
  request.on('end', () => {
    const input = JSON.parse(body) as { Entries: Array<{ Detail: string }> };
    putEventsBodies.push(input);
    const Entries = input.Entries.map((entry) => ({ EventId: `id-${(JSON.parse(entry.Detail) as { n: number }).n}` }));
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify({ FailedEntryCount: 0, Entries }));
  });
});
let probe: FunctionPool;

beforeAll(async () => {
  await new Promise<void>((resolve) => eventBridge.listen(0, '127.0.0.1', resolve));
  await dynamo.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const codeDirectory = join(root, 'probe');
  mkdirSync(codeDirectory, { recursive: true });
  writeFileSync(join(codeDirectory, 'index.mjs'), probeSource);
  probe = new FunctionPool(
    {
      logicalId: 'Probe',
      name: 'Probe',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:Probe',
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      codeDirectory,
      environment: {},
      timeoutSeconds: 3,
      memoryMb: 128,
    },
    {
      environment: {
        NODE_PATH: providedModules,
        AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
        DYNAMO_ENDPOINT: dynamoEndpoint,
        EVENTS_ENDPOINT: `http://127.0.0.1:${(eventBridge.address() as AddressInfo).port}`,
      },
      maxWorkers: 1,
      log: () => {},
      scripts: workerScripts(),
      sdkParentUrl: pathToFileURL(join(dirname(providedModules), 'index.js')).href,
    },
  );
});
afterAll(async () => {
  await probe?.stop();
  dynamo.destroy();
  eventBridge.close();
  rmSync(root, { recursive: true, force: true });
});

type Settled = {
  output?: { FailedEntryCount?: number; Entries?: Array<{ EventId?: string; ErrorCode?: string }> };
  error?: {
    name: string;
    message: string;
    retryable: unknown;
    fault: string;
    status: number;
    attempts: number;
    requestId?: string;
  };
};
const call = async (event: object, faults?: InvocationFaults) => {
  const outcome = await probe.invoke(event, 'r', faults);
  if (!outcome.ok) throw new Error(`probe failed: ${outcome.error.errorMessage}`);
  return outcome.payload as Settled & { error?: { reasons?: Array<{ Code: string }> } };
};
const always: InvocationFaults = { sdk: [{ failureRate: 1 }] };
const counter = async () =>
  Number(
    (await dynamo.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'counter' } }, ConsistentRead: true })))
      .Item?.n?.N ?? 0,
  );

describe('sdk faults: the services’ own retryable errors, made by the SDK in the function', () => {
  it('cancels a transaction for a TransactionConflict, which the SDK does not retry', async () => {
    const { error } = await call({ call: 'transact' }, always);
    expect(error).toMatchObject({ name: 'TransactionCanceledException', fault: 'client', status: 400, attempts: 1 });
    expect(error?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error?.message).toMatch(/^Transaction cancelled, please refer cancellation reasons for specific reasons \[/);
    expect(error?.reasons?.map((reason) => reason.Code).sort()).toEqual(['None', 'TransactionConflict']);
  });

  it('throttles DynamoDB and SQS requests, which the SDK retries with backoff', async () => {
    const { error: dynamoError } = await call({ call: 'get', table, key: 'x' }, always);
    expect(['ThrottlingException', 'ProvisionedThroughputExceededException']).toContain(dynamoError?.name);
    expect(dynamoError).toMatchObject({ status: 400, attempts: 2 });
    const { error: sqsError } = await call({ call: 'sqs' }, always);
    expect(sqsError).toMatchObject({ name: 'RequestThrottled', status: 400, attempts: 2 });
  });

  it('strikes only the requests that carry the text of a matching fault (a poison message)', async () => {
    const poison: InvocationFaults = { sdk: [{ failureRate: 1, match: 'poison-1' }] };
    expect((await call({ call: 'get', table, key: 'healthy' }, poison)).error).toBeUndefined();
    expect((await call({ call: 'get', table, key: 'poison-1' }, poison)).error?.attempts).toBe(2);
    expect((await call({ call: 'get', table, key: 'poison-1' })).error).toBeUndefined();
  });

  it('fails PutEvents whole (throttled) or in part: the failed entries are not put and carry ThrottlingException', async () => {
    const details = Array.from({ length: 10 }, (_, index) => index);
    const seen = new Set<string>();
    for (let attempt = 0; attempt < 30 && seen.size < 2; attempt++) {
      putEventsBodies.length = 0;
      const { output, error } = await call({ call: 'events', details }, always);
      if (error) {
        expect(error).toMatchObject({ name: 'ThrottlingException', attempts: 2 });
        expect(putEventsBodies).toEqual([]);
        seen.add('throttled');
        continue;
      }
      const failed = (output?.Entries ?? []).flatMap((entry, index) => (entry.ErrorCode ? [index] : []));
      expect(failed.length).toBeGreaterThan(0);
      expect(output?.FailedEntryCount).toBe(failed.length);
      for (const index of failed)
        expect(output?.Entries?.[index]).toEqual({ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' });
      const put = details.filter((index) => !failed.includes(index));
      expect(putEventsBodies.flatMap((body) => body.Entries.map((entry) => JSON.parse(entry.Detail).n))).toEqual(put);
      for (const index of put) expect(output?.Entries?.[index]).toEqual({ EventId: `id-${index}` });
      seen.add('partial');
    }
    expect([...seen].sort()).toEqual(['partial', 'throttled']);
  });
});

describe('timeout faults: the invocation is ended part-way, as at its timeout', () => {
  it('ends the worker at the chosen SDK request, keeping the writes made before it, then cold-starts a new one', async () => {
    expect(await probe.invoke({ call: 'count', table, times: 12 }, 'r1', { sdk: [], cutAtRequest: 5 })).toEqual({
      ok: false,
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds', trace: [] },
    });
    // Four writes: cut at the fifth request, not by the 3 s timer (twelve would have been made by then).
    expect(await counter()).toBe(4);
    // The next invocation queues while the cut worker's thread is still ending, and gets a new one when it has.
    expect(await probe.invoke({ call: 'count', table, times: 12 }, 'r2')).toEqual({ ok: true, payload: 'counted' });
    expect(await counter()).toBe(16);
  });

  it('loses the result of a handler that finishes before the cut: every write made, the invocation timed out', async () => {
    expect(await probe.invoke({ call: 'count', table, times: 3 }, 'r3', { sdk: [], cutAtRequest: 10 })).toMatchObject({
      ok: false,
      error: { errorType: 'Sandbox.Timedout' },
    });
    expect(await counter()).toBe(19);
  });
});
