import { type LocalRuntime, startLocalRuntime } from '@cxloop/local-runtime';
import { inject } from 'vitest';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdefghijklmnop';

export interface TestRuntime {
  runtime: LocalRuntime;
  /** fetch against the runtime's HTTP API; `admin: true` adds the admin key. */
  api: (path: string, init?: RequestInit & { admin?: boolean; json?: unknown }) => Promise<Response>;
  stop: () => Promise<void>;
}

/** Runs the synthesized CDK app (see test/setup/synthesize.ts) on the local runtime: in-memory DynamoDB, fast timers. */
export async function startTestRuntime(options: { timeScale?: number } = {}): Promise<TestRuntime> {
  const synthesized = inject('synthesizedApp');
  const runtime = await startLocalRuntime({
    assemblyDir: synthesized.assemblyDir,
    port: 0,
    secretValues: { [synthesized.adminKeySecretLogicalId]: TEST_ADMIN_KEY },
    timeScale: options.timeScale ?? 0.02,
    log: () => {},
  });
  const api: TestRuntime['api'] = (path, init = {}) => {
    const { admin, json, headers, ...rest } = init;
    return fetch(`${runtime.url}${path}`, {
      ...rest,
      headers: {
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        ...(admin ? { authorization: `Bearer ${TEST_ADMIN_KEY}` } : {}),
        ...(headers as Record<string, string> | undefined),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
  };
  return {
    runtime,
    api,
    stop: () => runtime.stop(),
  };
}
