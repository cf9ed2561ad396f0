/**
 * Entry point of a function's worker thread: the local stand-in for Lambda's Node.js runtime. It loads the handler
 * once (the cold start), then answers invocations one at a time. Bundled by esbuild when the runtime starts.
 */
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, InvocationContext, LambdaError, ToWorker, WorkerData } from './protocol';
import { beginInvocation, installSdkFaults } from './sdk-faults';

type Handler = (event: unknown, context: object, callback?: (error: unknown, result?: unknown) => void) => unknown;

const data = workerData as WorkerData;
const port = parentPort as NonNullable<typeof parentPort>;
const send = (message: FromWorker) => port.postMessage(message);

process.setSourceMapsEnabled(true);
register(data.hooksUrl, { data: { sdkParentUrl: data.sdkParentUrl } });
installSdkFaults(data.sdkParentUrl);

class RuntimeError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

function toLambdaError(error: unknown): LambdaError {
  if (error instanceof RuntimeError) return { errorType: error.errorType, errorMessage: error.message, trace: [] };
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** Lambda's handler string: `dir/file.export` or `file.nested.export`. */
async function loadHandler(): Promise<Handler> {
  const slash = data.handler.lastIndexOf('/');
  const directory = data.handler.slice(0, slash + 1);
  const [moduleName, ...exportPath] = data.handler.slice(slash + 1).split('.');
  const base = join(data.codeDirectory, directory, moduleName ?? '');
  const file = ['.js', '.mjs', '.cjs'].map((extension) => base + extension).find((candidate) => existsSync(candidate));
  if (!file) {
    throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${directory}${moduleName}'`);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new RuntimeError(
      'Runtime.ImportModuleError',
      error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    );
  }
  const lookup = (root: unknown) =>
    exportPath.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], root);
  const handler = lookup(module) ?? lookup(module.default);
  if (typeof handler !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${data.handler} is undefined or not exported`);
  }
  return handler as Handler;
}

function createContext(invocation: InvocationContext) {
  const { deadlineMs, traceId: _traceId, ...fields } = invocation;
  return {
    ...fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
}

function run(handler: Handler, event: unknown, context: object): Promise<unknown> {
  if (handler.length < 3) return Promise.resolve().then(() => handler(event, context));
  return new Promise((resolve, reject) => {
    const returned = handler(event, context, (error, result) => (error ? reject(error) : resolve(result)));
    if (returned && typeof (returned as Promise<unknown>).then === 'function') {
      (returned as Promise<unknown>).then(resolve, reject);
    }
  });
}

function crash(errorType: string) {
  return (error: unknown) => {
    const { errorMessage, trace } = toLambdaError(error);
    send({ type: 'crash', error: { errorType, errorMessage, trace } });
    process.exit(1);
  };
}
process.on('unhandledRejection', crash('Runtime.UnhandledPromiseRejection'));
process.on('uncaughtException', crash('Runtime.UncaughtException'));

try {
  const handler = await loadHandler();
  port.on('message', async (message: ToWorker) => {
    process.env._X_AMZN_TRACE_ID = message.context.traceId;
    const invocation = beginInvocation(message.faults, () => send({ type: 'cut', id: message.id }));
    try {
      const result = await run(handler, message.event, createContext(message.context));
      if (invocation.endsCut()) send({ type: 'cut', id: message.id });
      else send({ type: 'result', id: message.id, payload: JSON.stringify(result ?? null) });
    } catch (error) {
      if (invocation.endsCut()) send({ type: 'cut', id: message.id });
      else send({ type: 'error', id: message.id, error: toLambdaError(error) });
    }
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'init-error', error: toLambdaError(error) });
}
