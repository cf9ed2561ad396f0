import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../src/index';
import { synthesizeFixture } from '../fixture/app';

export interface Fixture {
  assemblyDir: string;
  workDir: string;
  /** Every line the runtimes logged (function output included). */
  logs: string[];
  /** Starts a runtime on the fixture's assembly (stopped by dispose). */
  start(options?: Partial<LocalRuntimeOptions>): Promise<LocalRuntime>;
  dispose(): Promise<void>;
}

/** Synthesizes the fixture app (under `stackName`) into a temporary directory. */
export function prepareFixture(stackName: string, defaults: Partial<LocalRuntimeOptions> = {}): Fixture {
  const workDir = mkdtempSync(join(tmpdir(), 'cxloop-local-runtime-'));
  const assemblyDir = synthesizeFixture(join(workDir, 'cdk.out'), stackName);
  const logs: string[] = [];
  const runtimes: LocalRuntime[] = [];
  return {
    assemblyDir,
    workDir,
    logs,
    start: async (options = {}) => {
      const runtime = await startLocalRuntime({
        assemblyDir,
        port: 0,
        log: (line) => logs.push(line),
        ...defaults,
        ...options,
      });
      runtimes.push(runtime);
      return runtime;
    },
    dispose: async () => {
      await Promise.all(runtimes.map((runtime) => runtime.stop()));
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** POSTs a JSON request in one of the local AWS JSON protocols. */
export async function awsJson(
  runtime: LocalRuntime,
  service: 'sqs' | 'events' | 'secretsmanager',
  target: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${runtime.awsEndpoint}/${service}`, {
    method: 'POST',
    headers: {
      'content-type': service === 'sqs' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1',
      'x-amz-target': target,
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}
