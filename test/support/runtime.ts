import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeApp } from '@cxloop/infra';
import { type LocalRuntime, startLocalRuntime } from '@cxloop/local-runtime';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdefghijklmnop';

export interface TestRuntime {
  runtime: LocalRuntime;
  /** fetch against the runtime's HTTP API; `admin: true` adds the admin key. */
  api: (path: string, init?: RequestInit & { admin?: boolean; json?: unknown }) => Promise<Response>;
  stop: () => Promise<void>;
}

/** Synthesizes the real CDK app and runs it on the local runtime (in-memory DynamoDB, timers sped up). */
export async function startTestRuntime(options: { timeScale?: number } = {}): Promise<TestRuntime> {
  const outdir = mkdtempSync(join(tmpdir(), 'cxloop-e2e-'));
  const synthesized = await synthesizeApp({ outdir });
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
    stop: async () => {
      await runtime.stop();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}
