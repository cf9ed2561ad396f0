import { describe, expect, it } from 'vitest';
import { timescale } from '../src/clock';
import type { InvokeOutcome } from '../src/lambda/function-pool';
import { QueueRegistry } from '../src/sqs/queue-registry';
import { failedItems, SqsEventSource, type SqsRecord } from '../src/sqs/sqs-event-source';
import type { EventSourceMappingDefinition } from '../src/template/resources/functions';
import { queueDefinition } from './support/definitions';
import { EarlyTimerClock, FakeClock, settle } from './support/fake-clock';

type Handler = (records: SqsRecord[]) => InvokeOutcome | Promise<InvokeOutcome>;

function setup(mapping: Partial<EventSourceMappingDefinition>, handler: Handler, clock = new FakeClock()) {
  const queues = new QueueRegistry(
    [
      queueDefinition('dlq'),
      queueDefinition('work', {
        redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 2 },
      }),
    ],
    clock,
    timescale(1),
  );
  const batches: SqsRecord[][] = [];
  const source = new SqsEventSource(
    {
      logicalId: 'Mapping',
      functionName: 'fn',
      eventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:work',
      batchSize: 10,
      batchingWindowSeconds: 0,
      reportBatchItemFailures: false,
      enabled: true,
      filterPatterns: [],
      ...mapping,
    },
    queues.get('work'),
    {
      invoke: async ({ Records }) => {
        batches.push(Records);
        return handler(Records);
      },
      clock,
      timescale: timescale(1),
      region: 'us-east-1',
      maxConcurrency: 1,
      log: () => {},
    },
  );
  source.start();
  return { clock, work: queues.get('work'), dlq: queues.get('dlq'), batches };
}

const ok: Handler = () => ({ ok: true, payload: null });

describe('SqsEventSource', () => {
  it('invokes with Lambda SQS records and deletes the batch when the function succeeds', async () => {
    const { work, batches } = setup({}, ok);
    work.send({ body: 'hello', messageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } } });
    await settle();
    expect(batches[0]?.[0]).toMatchObject({
      body: 'hello',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:work',
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {
        kind: { stringValue: 'greeting', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
      md5OfBody: '5d41402abc4b2a76b9719d911017c592',
    });
    expect(work.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('waits for the batching window unless the batch is full', async () => {
    const { clock, work, batches } = setup({ batchSize: 3, batchingWindowSeconds: 5 }, ok);
    work.send({ body: '1' });
    work.send({ body: '2' });
    await clock.advance(4_999);
    expect(batches).toHaveLength(0);
    await clock.advance(1);
    expect(batches.map((batch) => batch.length)).toEqual([2]);
    for (const body of ['3', '4', '5']) work.send({ body });
    await settle();
    expect(batches.map((batch) => batch.length)).toEqual([2, 3]);
  });

  it('closes the batching window when its timer fires, even a millisecond early', async () => {
    const { clock, work, batches } = setup({ batchSize: 3, batchingWindowSeconds: 5 }, ok, new EarlyTimerClock());
    work.send({ body: '1' });
    await clock.advance(5_000);
    expect(batches.map((batch) => batch.length)).toEqual([1]);
  });

  it('retries only the reported failures, after the visibility timeout, then dead-letters them', async () => {
    const { clock, work, dlq, batches } = setup({ reportBatchItemFailures: true }, (records) => ({
      ok: true,
      payload: {
        batchItemFailures: records.filter((r) => r.body === 'poison').map((r) => ({ itemIdentifier: r.messageId })),
      },
    }));
    work.send({ body: 'fine' });
    work.send({ body: 'poison' });
    await settle();
    expect(batches[0]?.map((r) => r.body)).toEqual(['fine', 'poison']);
    await clock.advance(29_999);
    expect(batches).toHaveLength(1);
    await clock.advance(1);
    expect(batches[1]?.map((r) => [r.body, r.attributes.ApproximateReceiveCount])).toEqual([['poison', '2']]);
    await clock.advance(30_000);
    expect(batches).toHaveLength(2);
    expect(dlq.peek().map((m) => m.body)).toEqual(['poison']);
    expect(work.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('retries the whole batch when the function fails', async () => {
    const { clock, work, batches } = setup({}, () => ({
      ok: false,
      error: { errorType: 'Error', errorMessage: 'boom', trace: [] },
    }));
    work.send({ body: 'a' });
    await settle();
    expect(work.stats().inFlight).toBe(1);
    await clock.advance(30_000);
    expect(batches).toHaveLength(2);
  });

  it('keeps messages invisible while a slow invocation runs past the (scaled) visibility timeout', async () => {
    let finish: (outcome: InvokeOutcome) => void = () => {};
    const { clock, work, batches } = setup({}, () => new Promise((resolve) => (finish = resolve)));
    work.send({ body: 'slow' });
    await settle();
    await clock.advance(120_000);
    expect(batches).toHaveLength(1);
    finish({ ok: true, payload: null });
    await settle();
    expect(work.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('drops messages no filter matches without invoking the function', async () => {
    const { work, batches } = setup({ filterPatterns: [{ body: { kind: ['wanted'] } }] }, ok);
    work.send({ body: JSON.stringify({ kind: 'other' }) });
    work.send({ body: JSON.stringify({ kind: 'wanted' }) });
    await settle();
    expect(batches.flat().map((r) => JSON.parse(r.body).kind)).toEqual(['wanted']);
    expect(work.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});

describe('failedItems', () => {
  const records = [{ messageId: 'a' }, { messageId: 'b' }];

  it('treats an empty, null or missing list as full success', () => {
    expect(failedItems(null, records)).toEqual(new Set());
    expect(failedItems({}, records)).toEqual(new Set());
    expect(failedItems({ batchItemFailures: [] }, records)).toEqual(new Set());
  });

  it('returns the named ids, or undefined (whole batch failed) for unknown or empty identifiers', () => {
    expect(failedItems({ batchItemFailures: [{ itemIdentifier: 'b' }] }, records)).toEqual(new Set(['b']));
    expect(failedItems({ batchItemFailures: [{ itemIdentifier: 'zzz' }] }, records)).toBeUndefined();
    expect(failedItems({ batchItemFailures: [{ itemIdentifier: '' }] }, records)).toBeUndefined();
    expect(failedItems({ batchItemFailures: 'b' }, records)).toBeUndefined();
  });
});
