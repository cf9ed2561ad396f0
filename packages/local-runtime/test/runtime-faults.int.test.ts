import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { LocalRuntime } from '../src/index';
import { localCredentials } from '../src/local-credentials';
import { type Fixture, prepareFixture } from './support/fixture-runtime';

/** Visibility timeouts of 300 ms: a failed message is back within a second. */
const timeScale = 0.01;
let fixture: Fixture;
let runtime: LocalRuntime;
let events: EventBridgeClient;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  fixture = prepareFixture('FixtureFaults');
  runtime = await fixture.start({ timeScale, dynamoEndpoint: inject('dynamoEndpoint') });
  const client = { region: 'us-east-1', credentials: localCredentials };
  events = new EventBridgeClient({ ...client, endpoint: `${runtime.awsEndpoint}/events` });
  documents = DynamoDBDocumentClient.from(new DynamoDBClient({ ...client, endpoint: runtime.dynamoEndpoint }));
});
afterAll(async () => {
  events?.destroy();
  documents?.destroy();
  await fixture?.dispose();
});
beforeEach(() => runtime.faults.clear());

const settled = () => runtime.idle(15_000);
const read = async (pk: string) =>
  (await documents.send(new GetCommand({ TableName: runtime.outputs.TableName, Key: { pk }, ConsistentRead: true })))
    .Item;
/** An ItemCreated event: the rule queues it for the Consumer (batch item failures, DLQ after two receives). */
const publish = (id: string) =>
  events.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: 'fixture-bus',
          Source: 'fixture.items',
          DetailType: 'ItemCreated',
          Detail: JSON.stringify({ id }),
        },
      ],
    }),
  );
const deadLettered = () =>
  runtime.queueMessages('WorkDlq').map((message) => (JSON.parse(message.body) as { detail: { id: string } }).detail.id);

describe('fault modes through the runtime', () => {
  it('after: the handler ran and its write stays, the result is lost, and the message is delivered again', async () => {
    runtime.faults.inject({ function: 'Consumer', failNext: 1, mode: 'after' });
    await publish('after-1');
    await settled();
    expect(await read('consumed#after-1')).toMatchObject({ receipts: 2, receiveCount: 2 });
    expect(
      fixture.logs.some((line) => line.includes('InjectedFault: Injected fault (Consumer, after the handler)')),
    ).toBe(true);
  });

  it('before: the handler does not run, and the message is delivered again', async () => {
    runtime.faults.inject({ function: 'Consumer', failNext: 1 });
    await publish('before-1');
    await settled();
    expect(await read('consumed#before-1')).toMatchObject({ receipts: 1, receiveCount: 2 });
  });

  it('timeout: the invocation is ended part-way and reported as timed out, and the message comes back', async () => {
    runtime.faults.inject({ function: 'Consumer', failNext: 1, mode: 'timeout' });
    await publish('timeout-1');
    await settled();
    // Cut at its one write (not made) or as it returned (made): either way it is received twice.
    expect(await read('consumed#timeout-1')).toMatchObject({ receiveCount: 2 });
    expect(fixture.logs.some((line) => line.includes('Task timed out after 3.00 seconds'))).toBe(true);
  });

  it("sdk: the function's SDK requests fail (here those writing one item): the record fails, and ends in the DLQ", async () => {
    runtime.faults.inject({ function: 'Consumer', failureRate: 1, mode: 'sdk', match: 'consumed#sdk-1' });
    await publish('sdk-1');
    await settled();
    await publish('sdk-2');
    await settled();
    expect(deadLettered()).toContain('sdk-1');
    expect(await read('consumed#sdk-1')).toBeUndefined();
    expect(await read('consumed#sdk-2')).toMatchObject({ receipts: 1 });
  });

  it('match: a poison message fails every time and ends in the dead-letter queue; the others pass', async () => {
    runtime.faults.inject({ function: 'Consumer', failureRate: 1, match: 'poison-1' });
    await publish('poison-1');
    await settled();
    await publish('healthy-1');
    await settled();
    expect(deadLettered()).toContain('poison-1');
    expect(await read('consumed#poison-1')).toBeUndefined();
    expect(await read('consumed#healthy-1')).toMatchObject({ receipts: 1 });
  });
});
