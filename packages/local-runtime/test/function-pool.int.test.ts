import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FunctionPool } from '../src/lambda/function-pool';
import { providedModulesDirectory } from '../src/lambda/provided-modules';
import { workerScripts } from '../src/lambda/worker-scripts';
import type { FunctionDefinition } from '../src/template/resources/functions';

const root = mkdtempSync(join(tmpdir(), 'cxloop-pool-'));
const providedModules = providedModulesDirectory();
const pools: FunctionPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.stop()));
  rmSync(root, { recursive: true, force: true });
});

/** A function whose code is `source` (an ES module), outside the repository like a real cdk.out asset. */
function pool(
  name: string,
  source: string,
  overrides: Partial<FunctionDefinition> = {},
  environment = {},
  maxWorkers = 2,
) {
  const codeDirectory = join(root, name);
  mkdirSync(codeDirectory, { recursive: true });
  writeFileSync(join(codeDirectory, 'index.mjs'), source);
  const created = new FunctionPool(
    {
      logicalId: name,
      name,
      arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      codeDirectory,
      environment: {},
      timeoutSeconds: 3,
      memoryMb: 128,
      ...overrides,
    },
    {
      environment: { AWS_LAMBDA_FUNCTION_NAME: name, NODE_PATH: providedModules, ...environment },
      maxWorkers,
      log: () => {},
      scripts: workerScripts(),
      sdkParentUrl: pathToFileURL(join(dirname(providedModules), 'index.js')).href,
    },
  );
  pools.push(created);
  return created;
}

describe('FunctionPool', () => {
  it('runs each function with its own environment, leaving the host untouched', async () => {
    const source =
      'export const handler = async () => ({ mark: process.env.MARK, name: process.env.AWS_LAMBDA_FUNCTION_NAME });';
    const [a, b] = await Promise.all([
      pool('env-a', source, {}, { MARK: 'a' }).invoke({}, 'r1'),
      pool('env-b', source, {}, { MARK: 'b' }).invoke({}, 'r2'),
    ]);
    expect(a).toEqual({ ok: true, payload: { mark: 'a', name: 'env-a' } });
    expect(b).toEqual({ ok: true, payload: { mark: 'b', name: 'env-b' } });
    expect(process.env.MARK).toBeUndefined();
  });

  it('keeps a worker warm between invocations', async () => {
    const warm = pool('warm', 'let calls = 0; export const handler = async () => ++calls;', {}, {}, 1);
    expect(await warm.invoke({}, 'r1')).toEqual({ ok: true, payload: 1 });
    expect(await warm.invoke({}, 'r2')).toEqual({ ok: true, payload: 2 });
  });

  it('resolves the AWS SDK the bundle left external, as the Lambda runtime provides it', async () => {
    const sdk = pool(
      'sdk',
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; export const handler = async () => typeof DynamoDBClient;",
    );
    expect(await sdk.invoke({}, 'r1')).toEqual({ ok: true, payload: 'function' });
    const other = pool('other-package', "import { z } from 'zod'; export const handler = async () => typeof z;");
    expect(await other.invoke({}, 'r1')).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.ImportModuleError' },
    });
  });

  it('supports callback handlers and reports errors like Lambda', async () => {
    const callback = pool(
      'callback',
      'export const handler = (event, context, done) => { done(null, { got: event.n }); };',
    );
    expect(await callback.invoke({ n: 7 }, 'r1')).toEqual({ ok: true, payload: { got: 7 } });
    const failing = pool('failing', 'export const handler = async () => { throw new TypeError("bad input"); };');
    expect(await failing.invoke({}, 'r1')).toMatchObject({
      ok: false,
      error: {
        errorType: 'TypeError',
        errorMessage: 'bad input',
        trace: expect.arrayContaining([expect.stringContaining('TypeError: bad input')]),
      },
    });
  });

  it('reports a missing handler or module as Lambda does', async () => {
    const missingExport = pool('missing-export', 'export const other = () => 1;');
    expect(await missingExport.invoke({}, 'r1')).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' },
    });
    const missingModule = pool('missing-module', 'export const handler = () => 1;', { handler: 'app.handler' });
    expect(await missingModule.invoke({}, 'r1')).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'app'" },
    });
  });

  it('replaces the worker after an unhandled rejection or a timeout (a new cold start)', async () => {
    const crashing = pool(
      'crashing',
      'let calls = 0; export const handler = async (event) => { calls += 1; if (event.crash) setTimeout(() => Promise.reject(new Error("lost")), 0); await new Promise((r) => setTimeout(r, 50)); return calls; };',
    );
    expect(await crashing.invoke({ crash: true }, 'r1')).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'lost' },
    });
    expect(await crashing.invoke({}, 'r2')).toEqual({ ok: true, payload: 1 });

    const slow = pool('slow', 'export const handler = async (event) => { if (event.hang) for (;;) {} return "ok"; };', {
      timeoutSeconds: 1,
    });
    expect(await slow.invoke({ hang: true }, 'r1')).toMatchObject({
      ok: false,
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' },
    });
    expect(await slow.invoke({}, 'r2')).toEqual({ ok: true, payload: 'ok' });
  });

  it('runs at most its concurrency at once and throttles at reserved concurrency 0', async () => {
    const single = pool(
      'single',
      'let running = 0; export const handler = async () => { running += 1; const seen = running; await new Promise((r) => setTimeout(r, 100)); running -= 1; return seen; };',
      {},
      {},
      1,
    );
    const results = await Promise.all([single.invoke({}, 'r1'), single.invoke({}, 'r2'), single.invoke({}, 'r3')]);
    expect(results).toEqual([1, 1, 1].map((payload) => ({ ok: true, payload })));
    const disabled = pool('disabled', 'export const handler = async () => 1;', {}, {}, 0);
    expect(await disabled.invoke({}, 'r1')).toMatchObject({ ok: false, throttled: true });
  });

  it('ends a worker that was still being created when the pool stopped', async () => {
    const stopping = pool('stopping', 'export const handler = async () => 1;');
    const invocation = stopping.invoke({}, 'r1');
    await stopping.stop();
    expect(await invocation).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError' } });
  });
});
