import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { LostClaimError, type MessageSummary } from '../src/domain/message-log';
import { messageKeys } from '../src/store/message-records';
import { messageStore } from '../src/store/messages';
import { rateLimiter, rateWindowKey } from '../src/store/rate-limits';

const t0 = new Date('2026-11-20T09:15:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

const summary = (messageId: string, extra: Partial<MessageSummary> = {}): MessageSummary => ({
  messageId,
  channel: 'slack',
  purpose: 'case_opened',
  target: 'alerts',
  ...extra,
});

async function setup() {
  const { db, tableName } = await createServiceTable('outbound');
  return { db, tableName, messages: messageStore(db, tableName), limiter: rateLimiter(db, tableName) };
}

describe('message store: the delivery claim', () => {
  it('lets exactly one of two concurrent claims win; the loser sees it busy, then done once sent', async () => {
    const { messages } = await setup();
    const [a, b] = await Promise.all([
      messages.claim(summary('job_claim_race'), t0, 30_000, 'lease-a'),
      messages.claim(summary('job_claim_race'), t0, 30_000, 'lease-b'),
    ]);
    const kinds = [a.kind, b.kind].sort();
    expect(kinds).toEqual(['busy', 'claimed']);
    const winner = a.kind === 'claimed' ? 'lease-a' : 'lease-b';
    expect(a.kind === 'claimed' ? a : b).toEqual({ kind: 'claimed', attempts: 1 });

    await messages.recordSent('job_claim_race', winner, later(100), 'provider-1');
    const again = await messages.claim(summary('job_claim_race'), later(200), 30_000, 'lease-c');
    expect(again).toMatchObject({ kind: 'done', record: { status: 'sent', attempts: 1, providerId: 'provider-1' } });
  });

  it('of many concurrent claims, one wins', async () => {
    const { messages } = await setup();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) => messages.claim(summary('job_claim_many'), t0, 30_000, `lease-${index}`)),
    );
    expect(results.filter((result) => result.kind === 'claimed')).toHaveLength(1);
  });

  it('counts attempts across releases, and lets an expired claim be taken over, telling the new holder', async () => {
    const { messages } = await setup();
    expect(await messages.claim(summary('job_attempts'), t0, 1_000, 'lease-1')).toEqual({
      kind: 'claimed',
      attempts: 1,
    });
    await messages.releaseForRetry('job_attempts', 'lease-1', later(10), { error: 'HTTP 503', statusCode: 503 });
    expect(await messages.get('job_attempts')).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'HTTP 503',
      lastStatusCode: 503,
    });
    expect(await messages.claim(summary('job_attempts'), later(20), 1_000, 'lease-2')).toMatchObject({
      kind: 'claimed',
      attempts: 2,
      previous: { status: 'queued' },
    });
    // lease-2's holder "crashes": before its lease ends the job is busy, after it the next worker takes over.
    expect(await messages.claim(summary('job_attempts'), later(500), 1_000, 'lease-3')).toMatchObject({ kind: 'busy' });
    const takeover = await messages.claim(summary('job_attempts'), later(1_100), 1_000, 'lease-3');
    expect(takeover).toMatchObject({
      kind: 'claimed',
      attempts: 3,
      previous: { status: 'sending', leaseId: 'lease-2' },
    });
    await expect(messages.recordSent('job_attempts', 'lease-2', later(1_200))).rejects.toBeInstanceOf(LostClaimError);
  });

  it('lets a redrive claim a dead-lettered job again, but never one that failed for good', async () => {
    const { messages } = await setup();
    await messages.claim(summary('job_dlq'), t0, 1_000, 'lease-1');
    await messages.recordFailed('job_dlq', 'lease-1', later(1), { error: 'HTTP 503; gave up', retryable: true });
    expect(await messages.claim(summary('job_dlq'), later(2), 1_000, 'lease-2')).toMatchObject({
      kind: 'claimed',
      attempts: 2,
    });
    await messages.recordFailed('job_dlq', 'lease-2', later(3), {
      error: 'HTTP 404',
      statusCode: 404,
      retryable: false,
    });
    expect(await messages.claim(summary('job_dlq'), later(4), 1_000, 'lease-3')).toMatchObject({
      kind: 'done',
      record: { status: 'failed', lastStatusCode: 404, attempts: 2 },
    });
  });

  it('settles suppressed jobs unless they are final or being delivered', async () => {
    const { messages } = await setup();
    expect(
      await messages.settle(summary('job_settle'), t0, { status: 'suppressed', error: 'suppressed: unsubscribed' }),
    ).toEqual({
      kind: 'settled',
    });
    expect(await messages.get('job_settle')).toMatchObject({ status: 'suppressed', attempts: 0 });
    expect(await messages.claim(summary('job_settle'), later(1), 1_000, 'lease-1')).toMatchObject({ kind: 'done' });

    await messages.claim(summary('job_settle_busy'), t0, 60_000, 'lease-1');
    expect(
      await messages.settle(summary('job_settle_busy'), later(1), {
        status: 'suppressed',
        error: 'suppressed: bounced',
      }),
    ).toMatchObject({ kind: 'busy', record: { status: 'sending' } });
  });

  it('records a rate-limited job as queued once, and a malformed one as failed once', async () => {
    const { messages } = await setup();
    await messages.recordQueued(summary('job_queued'), t0);
    await messages.recordQueued(summary('job_queued'), later(5_000));
    expect(await messages.get('job_queued')).toMatchObject({
      status: 'queued',
      attempts: 0,
      queuedAt: t0.toISOString(),
    });
    await messages.recordMalformed('sqs-1234', t0, 'malformed job: not JSON');
    await messages.recordMalformed('sqs-1234', later(1), 'malformed job: other');
    expect(await messages.get('sqs-1234')).toMatchObject({ status: 'failed', lastError: 'malformed job: not JSON' });
  });

  it('lists messages newest first, by case, status and channel, page by page', async () => {
    const { messages } = await setup();
    for (let index = 0; index < 5; index += 1) {
      const id = `job_list_${index}`;
      await messages.claim(
        summary(id, { caseId: index < 3 ? 'case_A' : 'case_B', channel: index % 2 === 0 ? 'slack' : 'webhook' }),
        later(index * 1000),
        30_000,
        `lease-${index}`,
      );
      if (index !== 4) await messages.recordSent(id, `lease-${index}`, later(index * 1000 + 1));
    }

    const first = await messages.list({ limit: 2 });
    expect(first.messages.map((message) => message.messageId)).toEqual(['job_list_4', 'job_list_3']);
    const second = await messages.list({ limit: 2, ...(first.next ? { cursor: first.next } : {}) });
    expect(second.messages.map((message) => message.messageId)).toEqual(['job_list_2', 'job_list_1']);

    const caseA = await messages.list({ caseId: 'case_A', limit: 10 });
    expect(caseA.messages.map((message) => message.messageId)).toEqual(['job_list_2', 'job_list_1', 'job_list_0']);
    const sending = await messages.list({ status: 'sending', limit: 10 });
    expect(sending.messages.map((message) => message.messageId)).toEqual(['job_list_4']);
    const webhooks = await messages.list({ channel: 'webhook', status: 'sent', limit: 10 });
    expect(webhooks.messages.map((message) => message.messageId)).toEqual(['job_list_3', 'job_list_1']);
    const caseBSlack = await messages.list({ caseId: 'case_B', channel: 'slack', limit: 10 });
    expect(caseBSlack.messages.map((message) => message.messageId)).toEqual(['job_list_4']);
  });

  it('keeps addresses and URLs out of the log item', async () => {
    const { db, tableName, messages } = await setup();
    await messages.claim(summary('job_pii', { recipient: 'sha256:0123456789abcdef' }), t0, 1_000, 'lease-1');
    const item = (await db.send(new GetCommand({ TableName: tableName, Key: messageKeys.message('job_pii') }))).Item;
    expect(JSON.stringify(item)).not.toMatch(/@|https?:/);
    expect(item?.expiresAt).toBe(Math.floor(t0.getTime() / 1000) + 400 * 24 * 3600);
  });
});

describe('rate limiter', () => {
  const perSecond = (scope: string, limit: number) => ({ scope, limit, cost: 1, seconds: 1 });

  it('grants exactly the limit per second to concurrent callers, and a fresh window the next second', async () => {
    const { db, tableName, limiter } = await setup();
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.acquire([perSecond('slack#alerts', 5)], new Date('2026-11-20T09:15:00.100Z')),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(5);
    const at = (iso: string, scope = 'slack#alerts') => limiter.acquire([perSecond(scope, 5)], new Date(iso));
    expect(await at('2026-11-20T09:15:00.900Z')).toEqual({ ok: false, full: perSecond('slack#alerts', 5) });
    expect(await at('2026-11-20T09:15:01.000Z')).toEqual({ ok: true });
    expect(await at('2026-11-20T09:15:00.500Z', 'slack#other')).toEqual({ ok: true });

    const window = Math.floor(Date.parse('2026-11-20T09:15:00Z') / 1000);
    const item = (await db.send(new GetCommand({ TableName: tableName, Key: rateWindowKey('slack#alerts', window) })))
      .Item;
    expect(item).toMatchObject({ count: 5, expiresAt: window + 1 + 300 });
  });

  it('takes an SMS its segments of the second and of the day, and nothing when either is full', async () => {
    const { db, tableName, limiter } = await setup();
    const sms = (cost: number) => [
      { scope: 'sms#sms', limit: 2, cost: Math.min(cost, 2), seconds: 1 },
      { scope: 'sms#sms#day', limit: 5, cost, seconds: 86_400 },
    ];
    const second = (n: number) => new Date(Date.parse('2026-11-20T09:15:00Z') + n * 1000);
    expect(await limiter.acquire(sms(2), second(0))).toEqual({ ok: true });
    // The second is spent: refused, and the day keeps its 3 remaining segments.
    expect(await limiter.acquire(sms(1), second(0))).toMatchObject({ ok: false, full: { seconds: 1 } });
    expect(await limiter.acquire(sms(2), second(1))).toEqual({ ok: true });
    // 4 of 5 segments of the day are spent: a 2-segment text waits for tomorrow, a 1-segment one still goes.
    expect(await limiter.acquire(sms(2), second(2))).toMatchObject({ ok: false, full: { seconds: 86_400 } });
    expect(await limiter.acquire(sms(1), second(3))).toEqual({ ok: true });
    expect(await limiter.acquire(sms(1), new Date('2026-11-21T00:00:00Z'))).toEqual({ ok: true });

    const day = Math.floor(Date.parse('2026-11-20T00:00:00Z') / 1000);
    const item = (await db.send(new GetCommand({ TableName: tableName, Key: rateWindowKey('sms#sms#day', day) }))).Item;
    expect(item).toMatchObject({ count: 5, expiresAt: day + 86_400 + 300 });
  });
});
