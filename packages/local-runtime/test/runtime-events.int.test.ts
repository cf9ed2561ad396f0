import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBridgeEvent, LocalRuntime } from '../src/index';
import { localCredentials } from '../src/local-credentials';
import { awsJson, type Fixture, prepareFixture } from './support/fixture-runtime';

/** AWS's minutes become milliseconds: the async retries (1 + 2 min) take 1.8 s, visibility timeouts 300 ms. */
const timeScale = 0.01;
let fixture: Fixture;
let runtime: LocalRuntime;
let events: EventBridgeClient;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  // This file lets the runtime start its own DynamoDB Local, the way `npm start` does.
  fixture = prepareFixture('FixtureEvents');
  runtime = await fixture.start({ timeScale });
  const client = { region: 'us-east-1', credentials: localCredentials };
  events = new EventBridgeClient({ ...client, endpoint: `${runtime.awsEndpoint}/events` });
  documents = DynamoDBDocumentClient.from(new DynamoDBClient({ ...client, endpoint: runtime.dynamoEndpoint }));
});
afterAll(async () => {
  // Also after the last test stopped the runtime: stop() may be called again.
  events?.destroy();
  documents?.destroy();
  await fixture?.dispose();
});

/** Shorter than the test timeout, so a stuck runtime reports what is still busy. */
const settled = () => runtime.idle(15_000);
const table = () => runtime.outputs.TableName;
const read = async (pk: string) => (await documents.send(new GetCommand({ TableName: table(), Key: { pk } }))).Item;
const publish = (...items: object[]) =>
  events.send(
    new PutEventsCommand({
      Entries: items.map((item) => ({
        EventBusName: 'fixture-bus',
        Source: 'fixture.items',
        DetailType: 'ItemCreated',
        Detail: JSON.stringify(item),
      })),
    }),
  );
const bodies = (queue: string) => runtime.queueMessages(queue).map((message) => JSON.parse(message.body));

describe('EventBridge', () => {
  it('validates PutEvents entries as AWS does and tells listeners about every accepted event', async () => {
    const seen: Array<[string, EventBridgeEvent]> = [];
    const unsubscribe = runtime.onEvent((bus, event) => seen.push([bus, event]));
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'fixture-bus', Source: 'fixture.other', DetailType: 'Unrelated', Detail: '{"n":1}' },
          { EventBusName: 'fixture-bus', Source: 'fixture.other', DetailType: 'Bad', Detail: '[1,2]' },
          { EventBusName: 'no-such-bus', Source: 'fixture.other', DetailType: 'Lost', Detail: '{}' },
        ],
      }),
    );
    unsubscribe();
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.[1]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    expect(result.Entries?.[2]?.ErrorCode).toBe('NotFoundException');
    expect(seen).toEqual([
      [
        'fixture-bus',
        {
          version: '0',
          id: result.Entries?.[0]?.EventId,
          'detail-type': 'Unrelated',
          source: 'fixture.other',
          account: '000000000000',
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          region: 'us-east-1',
          resources: [],
          detail: { n: 1 },
        },
      ],
    ]);
  });

  it('runs a scheduled rule on its (scaled) rate', async () => {
    await expect
      .poll(() => fixture.logs.find((line) => line.includes('tick Scheduled Event')), { timeout: 5_000 })
      .toMatch(
        /\[FixtureEvents-Tick\w+\] tick Scheduled Event arn:aws:events:us-east-1:000000000000:rule\/FixtureEvents-Ticker\w+$/,
      );
  });
});

describe('rule → Lambda (asynchronous invocation)', () => {
  it('delivers matching events to the function', async () => {
    await publish({ id: 'p1' });
    await settled();
    expect(await read('projection#p1')).toMatchObject({ deliveries: 1 });
  });

  it('retries a failing event twice, a (scaled) minute and two apart, then sends the record to the on-failure queue', async () => {
    const started = Date.now();
    await publish({ id: 'p2', failAsync: true });
    await settled();
    expect(Date.now() - started).toBeGreaterThanOrEqual(180_000 * timeScale);
    const [record] = bodies('AsyncFailures').filter((body) => body.requestPayload.detail.id === 'p2');
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: {
        functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${runtime.resources.functions.ProjectorA28C91BB}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { source: 'fixture.items', 'detail-type': 'ItemCreated' },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'refusing p2' },
    });
    expect(fixture.logs.filter((line) => line.includes('Invoke Error Error: refusing p2'))).toHaveLength(3);
  });
});

describe('rule → SQS → event source mapping', () => {
  it('batches records, retries only the failed one and dead-letters it after maxReceiveCount', async () => {
    await publish({ id: 'q1' }, { id: 'q2', poison: true }, { id: 'q3' });
    await settled();
    expect(await read('consumed#q1')).toMatchObject({ receipts: 1, batchSize: 3, receiveCount: 1 });
    expect(await read('consumed#q3')).toMatchObject({ receipts: 1, batchSize: 3, receiveCount: 1 });
    expect(await read('consumed#q2')).toBeUndefined();
    const [dead] = runtime.queueMessages('WorkDlq');
    expect(JSON.parse(dead?.body ?? '{}').detail).toEqual({ id: 'q2', poison: true });
    expect(dead?.attributes).toMatchObject({ ApproximateReceiveCount: '2' });
  });

  it('redrives dead letters back to their source queue once the fault is gone', async () => {
    runtime.faults.inject({ function: 'Consumer', failureRate: 1, error: 'consumer down' });
    await publish({ id: 'r1' });
    await settled();
    expect(bodies('WorkDlq').map((body) => body.detail.id)).toContain('r1');
    expect(await read('consumed#r1')).toBeUndefined();

    runtime.faults.clear();
    const moved = await runtime.redrive('WorkDlq');
    expect(moved).toBeGreaterThanOrEqual(1);
    await settled();
    expect(await read('consumed#r1')).toMatchObject({ receipts: 1, receiveCount: 1 });
    // The poison message from the previous test was redriven too and is back in the DLQ.
    expect(bodies('WorkDlq').map((body) => body.detail.id)).toEqual(['q2']);
  });

  it('idle() says what is still busy when it times out', async () => {
    runtime.faults.inject({ function: 'Consumer', failNext: 1 });
    await publish({ id: 's1' });
    await expect(runtime.idle(20)).rejects.toThrow(/not idle after 20 ms: .*(Work|invocation)/);
    await settled();
    expect(await read('consumed#s1')).toMatchObject({ receiveCount: 2 });
  });
});

describe('SQS API', () => {
  const queueUrl = () => runtime.resources.queues.AsyncFailuresBA743569 as string;

  it('sends, receives with MD5s and attributes, and deletes', async () => {
    const sent = await awsJson(runtime, 'sqs', 'AmazonSQS.SendMessage', {
      QueueUrl: queueUrl(),
      MessageBody: 'hello',
      MessageAttributes: { SellerName: { DataType: 'String', StringValue: 'Example Store' } },
    });
    expect(sent.body).toMatchObject({
      MD5OfMessageBody: '5d41402abc4b2a76b9719d911017c592',
      MD5OfMessageAttributes: 'cd28f3b68aeee4b2eac9c66f2f694b58',
    });
    const received = await awsJson(runtime, 'sqs', 'AmazonSQS.ReceiveMessage', {
      QueueUrl: queueUrl(),
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
    const message = (received.body.Messages as Array<Record<string, unknown>>).find(
      (candidate) => candidate.MessageId === sent.body.MessageId,
    );
    expect(message).toMatchObject({
      Body: 'hello',
      MD5OfBody: '5d41402abc4b2a76b9719d911017c592',
      Attributes: { ApproximateReceiveCount: '1' },
      MessageAttributes: { SellerName: { DataType: 'String', StringValue: 'Example Store' } },
    });
    const deleted = await awsJson(runtime, 'sqs', 'AmazonSQS.DeleteMessage', {
      QueueUrl: queueUrl(),
      ReceiptHandle: message?.ReceiptHandle,
    });
    expect(deleted.status).toBe(200);
  });

  it('long-polls until a message arrives, for at most the (scaled) wait time', async () => {
    const QueueUrl = runtime.resources.queues.WorkDlqEFF57BC6;
    await awsJson(runtime, 'sqs', 'AmazonSQS.PurgeQueue', { QueueUrl });
    const started = Date.now();
    const empty = await awsJson(runtime, 'sqs', 'AmazonSQS.ReceiveMessage', { QueueUrl, WaitTimeSeconds: 20 });
    expect(empty.body).toEqual({ Messages: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(20_000 * timeScale);

    let answered = false;
    const polling = awsJson(runtime, 'sqs', 'AmazonSQS.ReceiveMessage', { QueueUrl, WaitTimeSeconds: 20 }).finally(
      () => {
        answered = true;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    await awsJson(runtime, 'sqs', 'AmazonSQS.SendMessage', { QueueUrl, MessageBody: 'late' });
    expect(((await polling).body.Messages as Array<{ Body: string }>).map((m) => m.Body)).toEqual(['late']);
  });

  it('answers queue attributes, URLs and errors in the JSON protocol', async () => {
    const url = await awsJson(runtime, 'sqs', 'AmazonSQS.GetQueueUrl', { QueueName: 'FixtureEvents-WorkBF636A8B' });
    expect(url.body).toEqual({ QueueUrl: runtime.resources.queues.WorkBF636A8B });
    const attributes = await awsJson(runtime, 'sqs', 'AmazonSQS.GetQueueAttributes', {
      QueueUrl: runtime.resources.queues.WorkBF636A8B,
      AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'],
    });
    expect(attributes.body.Attributes).toEqual({
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:FixtureEvents-WorkDlqEFF57BC6',
        maxReceiveCount: 2,
      }),
    });
    const missing = await awsJson(runtime, 'sqs', 'AmazonSQS.GetQueueUrl', { QueueName: 'nope' });
    expect(missing.status).toBe(400);
    expect(missing.body.__type).toBe('com.amazonaws.sqs#QueueDoesNotExist');
    expect(missing.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
  });
});

describe('stop()', () => {
  it('ends DynamoDB Local and the servers', async () => {
    await runtime.stop();
    await expect(fetch(runtime.dynamoEndpoint)).rejects.toThrow();
    await expect(fetch(runtime.url)).rejects.toThrow();
  });
});
