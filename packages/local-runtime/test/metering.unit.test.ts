import { describe, expect, it } from 'vitest';
import { awsApiUsage, eventEntrySize } from '../src/metering/aws-api-usage';
import { itemSize, itemWriteUnits, readUnits, writeUnits } from '../src/metering/dynamodb-units';
import { isIngested, platformLogBytes } from '../src/metering/lambda-logs';
import { Meter } from '../src/metering/meter';
import { prices } from '../src/metering/prices';

const table = {
  keySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ],
  globalSecondaryIndexes: [
    {
      IndexName: 'gsi1',
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' as const },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    },
    {
      IndexName: 'keys',
      KeySchema: [{ AttributeName: 'gsi2pk', KeyType: 'HASH' as const }],
      Projection: { ProjectionType: 'KEYS_ONLY' as const },
    },
  ],
  localSecondaryIndexes: [],
};

describe('DynamoDB item size and units', () => {
  it("sizes an item by AWS's rules", () => {
    // names 2 + 4 + 1 + 1 + 4; values 3 ("abc"), 2 (12345 → 3 digits … (5/2)+1 = 4), 1, 3+1+1 (list of one "x")
    expect(itemSize({ pk: { S: 'abc' } })).toBe(5);
    expect(itemSize({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemSize({ n: { N: '-0.0100' } })).toBe(1 + 2);
    expect(itemSize({ b: { BOOL: true } })).toBe(2);
    expect(itemSize({ l: { L: [{ S: 'x' }] } })).toBe(1 + 3 + 1 + 1);
    expect(itemSize({ m: { M: { k: { S: 'v' } } } })).toBe(1 + 3 + 1 + 1 + 1);
    expect(itemSize({ s: { SS: ['ab', 'cd'] } })).toBe(1 + 4);
    expect(itemSize({ d: { B: Buffer.from('hello').toString('base64') } })).toBe(1 + 5);
    expect(itemSize({ ф: { S: 'ё' } })).toBe(2 + 2);
  });

  it('bills writes per started KB and reads per started 4 KB, eventually consistent at half, in transactions double', () => {
    expect(writeUnits(0)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(readUnits(100, 'strong')).toBe(1);
    expect(readUnits(100, 'eventual')).toBe(0.5);
    expect(readUnits(4097, 'eventual')).toBe(1);
    expect(readUnits(4097, 'transactional')).toBe(4);
  });

  const item = (extra: Record<string, { S: string }>, bytes = 10) => ({
    pk: { S: 'p' },
    sk: { S: 's' },
    body: { S: 'x'.repeat(bytes) },
    ...extra,
  });

  it('adds a write for each index the item enters, leaves or changes, two when its index key moves', () => {
    const inIndex = { gsi1pk: { S: 'a' }, gsi1sk: { S: '1' } };
    expect(itemWriteUnits(table, undefined, item({}))).toEqual({ table: 1, indexes: 0 });
    expect(itemWriteUnits(table, undefined, item(inIndex))).toEqual({ table: 1, indexes: 1 });
    expect(itemWriteUnits(table, item(inIndex), undefined)).toEqual({ table: 1, indexes: 1 });
    expect(itemWriteUnits(table, item(inIndex), item(inIndex))).toEqual({ table: 1, indexes: 0 });
    expect(itemWriteUnits(table, item(inIndex), item(inIndex, 20))).toEqual({ table: 1, indexes: 1 });
    expect(itemWriteUnits(table, item(inIndex), item({ ...inIndex, gsi1sk: { S: '2' } }))).toEqual({
      table: 1,
      indexes: 2,
    });
    // A keys-only index does not change when a non-key attribute does.
    const inKeys = { gsi2pk: { S: 'k' } };
    expect(itemWriteUnits(table, item(inKeys), item(inKeys, 20))).toEqual({ table: 1, indexes: 0 });
  });

  it('bills the larger of the item before and after, in kilobytes', () => {
    expect(itemWriteUnits(table, item({}, 3000), item({}, 10)).table).toBe(3);
    expect(itemWriteUnits(table, item({}, 10), item({}, 1500)).table).toBe(2);
  });
});

describe('AWS API usage', () => {
  it('bills SQS and EventBridge in 64 KB chunks, SES per recipient, Secrets Manager per call', () => {
    const call = { input: {}, requestBytes: 100, responseBytes: 100 };
    expect(awsApiUsage({ ...call, service: 'sqs', operation: 'SendMessageBatch', requestBytes: 200_000 })).toEqual([
      ['sqs.requests', 4],
    ]);
    expect(awsApiUsage({ ...call, service: 'sqs', operation: 'ReceiveMessage' })).toEqual([['sqs.requests', 1]]);
    const entry = { Source: 'cxloop.collection', DetailType: 'FeedbackReceived', Detail: 'x'.repeat(70_000) };
    expect(
      awsApiUsage({
        ...call,
        service: 'events',
        operation: 'PutEvents',
        input: { Entries: [entry, { ...entry, Detail: '{}' }] },
      }),
    ).toEqual([['eventbridge.custom-events', 3]]);
    expect(eventEntrySize({ Time: new Date(), Source: 'ab', DetailType: 'c', Detail: '{}', Resources: ['r'] })).toBe(
      14 + 2 + 1 + 2 + 1,
    );
    const email = { Destination: { ToAddresses: ['a@example.com'], BccAddresses: ['b@example.com'] } };
    expect(
      awsApiUsage({ ...call, service: 'sesv2', operation: 'POST /v2/email/outbound-emails', input: email }),
    ).toEqual([['ses.messages', 2]]);
    expect(awsApiUsage({ ...call, service: 'secretsmanager', operation: 'GetSecretValue' })).toEqual([
      ['secretsmanager.api-calls', 1],
    ]);
    expect(awsApiUsage({ ...call, service: 'scheduler', operation: 'POST /schedules/x' })).toEqual([]);
  });
});

describe('Lambda logs', () => {
  const json = { logFormat: 'JSON', tracing: 'Active' };

  it('drops JSON lines below the application log level; a line without a level counts as INFO', () => {
    const config = { ...json, applicationLogLevel: 'WARN' };
    expect(isIngested(config, '{"level":"INFO","message":"counted"}')).toBe(false);
    expect(isIngested(config, '{"level":"ERROR","message":"failed"}')).toBe(true);
    expect(isIngested(config, '{"_aws":{"CloudWatchMetrics":[]}}')).toBe(false);
    expect(isIngested({ ...json }, '{"level":"DEBUG"}')).toBe(true);
  });

  it('adds the platform records unless the system log level is above INFO', () => {
    expect(platformLogBytes(json, 12.3, 256)).toBeGreaterThan(200);
    expect(platformLogBytes({ ...json, systemLogLevel: 'WARN' }, 12.3, 256)).toBe(0);
    expect(platformLogBytes({ logFormat: 'Text' }, 12.3, 256)).toBeGreaterThan(150);
  });
});

describe('Meter', () => {
  const fn = {
    name: 'Cxloop-Aggregator',
    memoryMb: 512,
    architecture: 'arm64',
    logFormat: 'JSON',
    systemLogLevel: 'WARN',
    tracing: 'PassThrough',
    constructPath: 'Cxloop/Aggregation/Aggregator/Resource',
  };

  it('prices an invocation by its billed milliseconds and memory, per service, function and line item', () => {
    const meter = new Meter([fn], [fn.name]);
    meter.invoked(fn, 999.2);
    meter.printed(fn, 'x'.repeat(1024));
    meter.apiRequest(undefined, 10);
    const report = meter.report();
    const gbSeconds = report.lineItems.find((line) => line.item === 'lambda.gb-seconds-arm');
    expect(gbSeconds?.quantity).toBeCloseTo(0.5, 10);
    expect(gbSeconds?.usd).toBeCloseTo(0.5 * prices['lambda.gb-seconds-arm'].usd, 12);
    expect(report.byFunction[fn.name]?.cxloopService).toBe('Aggregation');
    expect(report.byCxloopService['(none)']).toBeCloseTo(prices['apigateway.http-requests'].usd, 12);
    expect(report.byAwsService.CloudWatch).toBeCloseTo((1024 / 2 ** 30) * 0.5, 12);
    expect(report.usd).toBeCloseTo(
      report.lineItems.reduce((sum, line) => sum + line.usd, 0),
      12,
    );
    // Five pollers' 20 s long polls for 30 days.
    expect(report.monthly.lineItems).toEqual([expect.objectContaining({ item: 'sqs.requests', quantity: 648_000 })]);
    meter.reset();
    expect(meter.report().usd).toBe(0);
  });

  it('bills a polled batch as its receive and delete calls', () => {
    const meter = new Meter([fn]);
    meter.polled(
      fn.name,
      Array.from({ length: 25 }, () => 'message'),
    );
    expect(meter.report().lineItems[0]).toMatchObject({ item: 'sqs.requests', quantity: 6 });
  });
});

describe('price file', () => {
  it('gives every price a region, the date it was read and its source', () => {
    for (const [item, price] of Object.entries(prices)) {
      expect(price.region, item).toBe('us-east-1');
      expect(price.date, item).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(price.source, item).toMatch(/^https:\/\//);
      expect(price.usd, item).toBeGreaterThan(0);
    }
  });
});
