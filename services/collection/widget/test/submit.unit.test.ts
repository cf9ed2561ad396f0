import { describe, expect, it } from 'vitest';
import { type RetryOptions, sendWithRetry } from '../src/submit';

function recorder(answers: Array<number | 'network' | { status: number; retryAfter: string }>) {
  const calls: RequestInit[] = [];
  const waits: number[] = [];
  const fetchFn = (async (_url: string, init: RequestInit) => {
    calls.push(init);
    const answer = answers[calls.length - 1] ?? 200;
    if (answer === 'network') throw new TypeError('Failed to fetch');
    if (typeof answer === 'number') return new Response(null, { status: answer });
    return new Response(null, { status: answer.status, headers: { 'retry-after': answer.retryAfter } });
  }) as typeof fetch;
  const options: RetryOptions = {
    attempts: 4,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0,
  };
  return { calls, waits, fetchFn, options };
}

const init = { method: 'POST', body: '{"responseId":"w-1","score":9}' };

describe('sendWithRetry', () => {
  it('tries again after network failures and 5xx with doubling waits, sending the same body', async () => {
    const { calls, waits, fetchFn, options } = recorder(['network', 503, 201]);
    const response = await sendWithRetry(fetchFn, '/responses', init, options);
    expect(response.status).toBe(201);
    expect(waits).toEqual([500, 1000]);
    expect(calls.map((call) => call.body)).toEqual([init.body, init.body, init.body]);
  });

  it('does not retry a refusal (4xx other than 408 and 429)', async () => {
    const { calls, fetchFn, options } = recorder([400]);
    expect((await sendWithRetry(fetchFn, '/responses', init, options)).status).toBe(400);
    expect(calls).toHaveLength(1);
  });

  it('waits as long as Retry-After says, but gives up on a wait longer than maxDelayMs', async () => {
    const short = recorder([{ status: 429, retryAfter: '3' }, 200]);
    expect((await sendWithRetry(short.fetchFn, '/responses', init, short.options)).status).toBe(200);
    expect(short.waits).toEqual([3000]);
    const long = recorder([{ status: 429, retryAfter: '3600' }]);
    expect((await sendWithRetry(long.fetchFn, '/responses', init, long.options)).status).toBe(429);
    expect(long.calls).toHaveLength(1);
  });

  it('rejects when the last try cannot reach the server, and answers the last status otherwise', async () => {
    const offline = recorder(['network', 'network', 'network', 'network']);
    await expect(sendWithRetry(offline.fetchFn, '/responses', init, offline.options)).rejects.toThrow(
      'Failed to fetch',
    );
    expect(offline.calls).toHaveLength(4);
    const failing = recorder([500, 500, 500, 500]);
    expect((await sendWithRetry(failing.fetchFn, '/responses', init, failing.options)).status).toBe(500);
  });
});
