import { describe, expect, it } from 'vitest';
import { timescale } from '../src/clock';
import { md5OfMessageAttributes } from '../src/sqs/checksums';
import { QueueError } from '../src/sqs/queue';
import { QueueRegistry } from '../src/sqs/queue-registry';
import { queueDefinition } from './support/definitions';
import { EarlyTimerClock, FakeClock } from './support/fake-clock';

function setup(overrides: Parameters<typeof queueDefinition>[1] = {}) {
  const clock = new FakeClock();
  const registry = new QueueRegistry(
    [
      queueDefinition('dlq'),
      queueDefinition('work', {
        redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 2 },
        ...overrides,
      }),
    ],
    clock,
    timescale(1),
  );
  return { clock, work: registry.get('work'), dlq: registry.get('dlq'), registry };
}

describe('Queue', () => {
  it('hides a received message for the visibility timeout, then delivers it again with a higher receive count', async () => {
    const { clock, work } = setup();
    work.send({ body: 'hello' });
    const [first] = work.receive(10);
    expect(first?.receiveCount).toBe(1);
    expect(work.receive(10)).toEqual([]);
    expect(work.stats()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    await clock.advance(29_999);
    expect(work.receive(10)).toEqual([]);
    await clock.advance(1);
    const [second] = work.receive(10);
    expect(second).toMatchObject({ messageId: first?.messageId, receiveCount: 2 });
  });

  it('deletes by receipt handle', () => {
    const { work } = setup();
    work.send({ body: 'a' });
    const [message] = work.receive(1);
    work.delete(message?.receiptHandle as string);
    expect(work.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(() => work.delete('garbage')).toThrow(QueueError);
  });

  it('moves a message to the dead-letter queue on the receive after maxReceiveCount', async () => {
    const { clock, work, dlq } = setup();
    const { messageId } = work.send({ body: 'poison' });
    work.receive(1);
    await clock.advance(30_000);
    work.receive(1);
    await clock.advance(30_000);
    expect(work.receive(1)).toEqual([]);
    const [dead] = dlq.peek();
    expect(dead).toMatchObject({
      messageId,
      body: 'poison',
      receiveCount: 2,
      deadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:000000000000:work',
    });
  });

  it('redrives dead letters to their source queue with a fresh receive count', async () => {
    const { clock, work, dlq, registry } = setup({
      redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 1 },
    });
    work.send({ body: 'x' });
    work.receive(1);
    await clock.advance(30_000);
    work.receive(1);
    expect(dlq.stats().visible).toBe(1);
    expect(registry.redrive(dlq)).toBe(1);
    expect(work.receive(1)).toEqual([expect.objectContaining({ body: 'x', receiveCount: 1 })]);
  });

  it('delays messages by the queue default or per message', async () => {
    const { clock, work } = setup({ delaySeconds: 5 });
    work.send({ body: 'queue delay' });
    work.send({ body: 'message delay', delaySeconds: 1 });
    expect(work.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 2 });
    await clock.advance(1_000);
    expect(work.receive(10).map((m) => m.body)).toEqual(['message delay']);
    await clock.advance(4_000);
    expect(work.receive(10).map((m) => m.body)).toEqual(['queue delay']);
  });

  it('drops messages older than the retention period', async () => {
    const { clock, work } = setup({ retentionSeconds: 60 });
    work.send({ body: 'old' });
    await clock.advance(60_000);
    expect(work.stats().visible).toBe(0);
  });

  it('holds messages for an event source until released, then applies the visibility timeout from receipt', async () => {
    const { clock, work } = setup();
    work.send({ body: 'a' });
    const [message] = work.receiveHeld(1);
    await clock.advance(60_000);
    expect(work.stats()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    work.release(message?.receiptHandle as string, clock.now() - 60_000);
    expect(work.stats().visible).toBe(1);
  });

  it("keeps the visibility a held message's consumer set itself (its own backoff) when the hold ends", async () => {
    const { clock, work } = setup();
    work.send({ body: 'a' });
    const [message] = work.receiveHeld(1);
    const receipt = message?.receiptHandle as string;
    work.changeVisibility(receipt, 5);
    work.release(receipt, clock.now());
    await clock.advance(4_999);
    expect(work.stats().visible).toBe(0);
    await clock.advance(1);
    expect(work.stats().visible).toBe(1);
  });

  it('ignores the release of a receipt that is no longer the latest', async () => {
    const { clock, work } = setup();
    work.send({ body: 'a' });
    const [first] = work.receiveHeld(1);
    work.changeVisibility(first?.receiptHandle as string, 0);
    const [second] = work.receive(1);
    expect(second?.receiveCount).toBe(2);
    work.release(first?.receiptHandle as string, clock.now() - 60_000);
    expect(work.stats()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
  });

  it('tells listeners when messages become visible, including after a timeout', async () => {
    const { clock, work } = setup();
    let calls = 0;
    work.onAvailable(() => {
      calls += 1;
    });
    work.send({ body: 'a' });
    await clock.advance(0);
    expect(calls).toBe(1);
    work.receive(1);
    await clock.advance(30_000);
    expect(calls).toBe(2);
  });

  it('still notices a message becoming visible when its timer fires a millisecond early', async () => {
    const clock = new EarlyTimerClock();
    const work = new QueueRegistry([queueDefinition('work')], clock, timescale(1)).get('work');
    let calls = 0;
    work.onAvailable(() => {
      calls += 1;
    });
    work.send({ body: 'a', delaySeconds: 1 });
    await clock.advance(1_000);
    expect(calls).toBe(1);
  });

  it('validates sends like SQS', () => {
    const { work } = setup({ maxMessageSizeBytes: 10 });
    expect(() => work.send({ body: '' })).toThrow('MessageBody');
    expect(() => work.send({ body: 'x'.repeat(11) })).toThrow('Message must be shorter than 10 bytes');
    expect(() => work.send({ body: 'bad\u0000' })).toThrow(expect.objectContaining({ code: 'InvalidMessageContents' }));
  });
});

describe('FIFO queue', () => {
  const fifo = () => setup({ fifo: true, contentBasedDeduplication: true, name: 'work.fifo', logicalId: 'work' }).work;

  it('delivers a group in order, one batch at a time, and keeps other groups flowing', () => {
    const work = fifo();
    work.send({ body: 'a1', messageGroupId: 'a' });
    work.send({ body: 'a2', messageGroupId: 'a' });
    work.send({ body: 'b1', messageGroupId: 'b' });
    expect(work.receive(1).map((m) => m.body)).toEqual(['a1']);
    expect(work.receive(10).map((m) => m.body)).toEqual(['b1']);
  });

  it('deduplicates by content within five minutes', async () => {
    const work = fifo();
    const first = work.send({ body: 'same', messageGroupId: 'a' });
    const second = work.send({ body: 'same', messageGroupId: 'a' });
    expect(second.messageId).toBe(first.messageId);
    expect(work.stats().visible).toBe(1);
    expect(first.sequenceNumber).toMatch(/^\d{20}$/);
  });

  it('requires a message group', () => {
    expect(() => fifo().send({ body: 'x' })).toThrow('MessageGroupId');
  });
});

describe('md5OfMessageAttributes', () => {
  it('matches the digests SQS returns', () => {
    // Reference digests published by independent SQS implementations' tests.
    expect(md5OfMessageAttributes({ SellerName: { DataType: 'String', StringValue: 'Example Store' } })).toBe(
      'cd28f3b68aeee4b2eac9c66f2f694b58',
    );
    expect(
      md5OfMessageAttributes({
        ordinal: { DataType: 'Number', StringValue: '1' },
        category: { DataType: 'String', StringValue: 'test' },
      }),
    ).toBe('d21ae90c49061e927f57df5f5d72be1f');
    expect(md5OfMessageAttributes({})).toBeUndefined();
  });
});
