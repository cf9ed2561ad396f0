import { describe, expect, it } from 'vitest';
import { cached, lazy } from '../src/cached';

describe('cached', () => {
  it('loads once per TTL, then again', async () => {
    let now = 0;
    let loads = 0;
    const get = cached(
      async () => ++loads,
      10_000,
      () => now,
    );
    expect(await get()).toBe(1);
    now = 9_999;
    expect(await get()).toBe(1);
    now = 10_000;
    expect(await get()).toBe(2);
  });

  it('does not keep a failed load', async () => {
    let attempt = 0;
    const get = cached(
      async () => {
        attempt += 1;
        if (attempt === 1) throw new Error('DynamoDB hiccup');
        return 'rules';
      },
      10_000,
      () => 0,
    );
    await expect(get()).rejects.toThrow('DynamoDB hiccup');
    expect(await get()).toBe('rules');
  });

  it('shares one load between concurrent callers', async () => {
    let loads = 0;
    const get = cached(
      async () => ++loads,
      10_000,
      () => 0,
    );
    expect(await Promise.all([get(), get()])).toEqual([1, 1]);
  });
});

describe('lazy', () => {
  it('loads once while it succeeds, and again after a failure', async () => {
    let attempt = 0;
    const get = lazy(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('Secrets Manager hiccup');
      return `key-${attempt}`;
    });
    await expect(get()).rejects.toThrow('Secrets Manager hiccup');
    expect(await get()).toBe('key-2');
    expect(await get()).toBe('key-2');
  });
});
