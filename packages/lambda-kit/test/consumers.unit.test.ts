import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { RetryLater, sqsBatchConsumer, sqsEventsConsumer, sqsJobConsumer } from '../src/consumers';
import { logger } from '../src/logger';

const record = (messageId: string, body: unknown): SQSRecord =>
  ({ messageId, body: JSON.stringify(body), attributes: {}, messageAttributes: {} }) as unknown as SQSRecord;
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const context = (remainingMs: () => number = () => 60_000) =>
  ({
    functionName: 'Worker',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Worker',
    memoryLimitInMB: '128',
    awsRequestId: 'request-1',
    getRemainingTimeInMillis: remainingMs,
  }) as unknown as Context;

const job = z.object({ id: z.string(), correlationId: z.string().optional() });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sqsJobConsumer', () => {
  it('fails only the records that throw or do not parse, and reports a batch that fails whole', async () => {
    const handler = sqsJobConsumer(job, async ({ id }) => {
      if (id === 'bad') throw new Error('boom');
    });
    const response = await handler(
      batch(record('1', { id: 'ok' }), record('2', { id: 'bad' }), record('3', {})),
      context(),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '2' }, { itemIdentifier: '3' }]);

    const allFail = await handler(batch(record('4', { id: 'bad' })), context());
    expect(allFail.batchItemFailures).toEqual([{ itemIdentifier: '4' }]);
  });

  it('starts records only while more than the reserve is left, and tells the handler when time runs low', async () => {
    const remaining = [50_000, 20_000, 30_000, 9_000, 5_000];
    const seen: string[] = [];
    const handler = sqsJobConsumer(
      job,
      async ({ id }, { hasTime }) => {
        seen.push(`${id}:${hasTime()}`);
      },
      { reserveMs: 10_000 },
    );
    const response = await handler(
      batch(record('1', { id: 'a' }), record('2', { id: 'b' }), record('3', { id: 'c' })),
      context(() => remaining.shift() ?? 0),
    );
    expect(seen).toEqual(['a:true', 'b:false']);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '3' }]);
  });

  it('puts the record and its correlation id on the log lines of that record only, and logs no RetryLater', async () => {
    const errors = vi.spyOn(logger, 'error');
    const handler = sqsJobConsumer(job, async ({ id }) => {
      if (id === 'later') throw new RetryLater('backoff');
    });
    const appended = vi.spyOn(logger, 'appendKeys');
    const removed = vi.spyOn(logger, 'removeKeys');
    const response = await handler(
      batch(record('m-1', { id: 'a', correlationId: 'c-1' }), record('m-2', { id: 'later' })),
      context(),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-2' }]);
    expect(appended.mock.calls.map(([added]) => added)).toEqual([
      { messageId: 'm-1', correlationId: 'c-1' },
      { messageId: 'm-2' },
    ]);
    expect(removed.mock.calls.map(([names]) => names)).toEqual([['messageId', 'correlationId'], ['messageId']]);
    expect(errors).not.toHaveBeenCalled();
  });
});

describe('sqsEventsConsumer', () => {
  it('fails a record of no route alone instead of dropping it', async () => {
    const handler = sqsEventsConsumer([]);
    const response = await handler(batch(record('1', { source: 'cxloop.x', 'detail-type': 'Unknown' })), context());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '1' }]);
  });
});

describe('sqsBatchConsumer', () => {
  it('hands the readable records over at once and reports the unreadable ones and those it returns', async () => {
    const handled: string[][] = [];
    const handler = sqsBatchConsumer({ decode: (r) => job.parse(JSON.parse(r.body)) }, async (jobs) => {
      handled.push(jobs.map(({ id }) => id));
      return [1];
    });
    const response = await handler(
      batch(record('1', { id: 'a' }), record('2', { nope: true }), record('3', { id: 'b' })),
      context(),
    );
    expect(handled).toEqual([['a', 'b']]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '2' }, { itemIdentifier: '3' }]);
  });
});
