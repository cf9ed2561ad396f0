import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { Meter } from '../metering/meter';
import type { FunctionDefinition } from '../template/resources/functions';
import type {
  FromWorker,
  InvocationContext,
  InvocationFaults,
  LambdaError,
  ToWorker,
  WorkerData,
} from './worker/protocol';
import type { WorkerScripts } from './worker-scripts';

export type InvokeOutcome = { ok: true; payload: unknown } | { ok: false; error: LambdaError; throttled?: boolean };

export interface FunctionPoolOptions {
  /** The function's whole environment (Lambda's reserved variables, the local endpoints and its own variables). */
  environment: Record<string, string>;
  /** Most workers (concurrent invocations) at once; further invocations wait for a free worker. */
  maxWorkers: number;
  log: (line: string) => void;
  scripts: Promise<WorkerScripts>;
  sdkParentUrl: string;
  /** Hears each invocation's duration and each line the function prints (what Lambda bills and logs). */
  meter?: Pick<Meter, 'invoked' | 'printed'>;
}

/** Lambda's own limit on a cold start's initialisation. */
const initTimeoutMs = 10_000;
/** Workers beyond the first are ended after this long without work. */
const idleWorkerTtlMs = 60_000;

/**
 * The execution environments of one function: worker threads, each with the function's own `process.env`, kept warm
 * between invocations and created on demand up to the function's concurrency.
 */
export class FunctionPool {
  private readonly idle: LambdaWorker[] = [];
  private readonly live = new Set<LambdaWorker>();
  private readonly waiting: Array<(worker: LambdaWorker) => void> = [];
  private workers = 0;
  private stopped = false;

  constructor(
    readonly definition: FunctionDefinition,
    private readonly options: FunctionPoolOptions,
  ) {}

  /** `faults`: what the worker injects into this invocation (failing SDK requests, a timeout part-way). */
  async invoke(event: unknown, requestId: string, faults?: InvocationFaults): Promise<InvokeOutcome> {
    const unavailable = this.unavailableReason();
    if (unavailable) {
      return { ok: false, error: { errorType: 'Runtime.ImportModuleError', errorMessage: unavailable, trace: [] } };
    }
    if (this.options.maxWorkers <= 0) {
      return {
        ok: false,
        throttled: true,
        error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.', trace: [] },
      };
    }
    const worker = await this.acquire();
    const timeoutMs = this.definition.timeoutSeconds * 1000;
    const started = performance.now();
    const outcome = await worker.invoke(event, this.context(requestId, timeoutMs), timeoutMs, faults);
    this.options.meter?.invoked(this.definition, performance.now() - started);
    this.release(worker);
    if (!outcome.ok) this.logError(requestId, outcome.error);
    return outcome;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.idle.splice(0);
    await Promise.all([...this.live].map((worker) => worker.terminate()));
  }

  private unavailableReason(): string | undefined {
    if (!this.definition.runtime.startsWith('nodejs')) {
      return `the local runtime runs only Node.js functions; ${this.definition.name} uses ${this.definition.runtime}`;
    }
    if (!this.definition.codeDirectory) return `the code of ${this.definition.name} is not in the cloud assembly`;
    return undefined;
  }

  private acquire(): Promise<LambdaWorker> {
    const worker = this.idle.pop();
    if (worker) {
      worker.cancelIdleTimer();
      return Promise.resolve(worker);
    }
    if (this.workers < this.options.maxWorkers) return this.createWorker();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private async createWorker(): Promise<LambdaWorker> {
    this.workers += 1;
    const { bootstrapUrl, hooksUrl } = await this.options.scripts;
    const { codeDirectory = '', handler } = this.definition;
    const worker = new Worker(bootstrapUrl, {
      env: this.options.environment,
      // Not the host's flags (tsx's loader, vitest's): a function runs on plain Node, as on Lambda.
      execArgv: [],
      stdout: true,
      stderr: true,
      workerData: { codeDirectory, handler, hooksUrl, sdkParentUrl: this.options.sdkParentUrl } satisfies WorkerData,
    });
    const printed = (line: string) => this.options.meter?.printed(this.definition, line);
    const lambdaWorker = new LambdaWorker(worker, this.definition.name, this.options.log, printed, () => {
      this.workers -= 1;
      this.live.delete(lambdaWorker);
      // An invocation that queued while this worker was ending (a timeout) takes its place.
      const next = this.stopped ? undefined : this.waiting.shift();
      if (next) void this.createWorker().then(next);
    });
    this.live.add(lambdaWorker);
    // Created while the pool stopped (after the scripts were awaited): stop() did not see it, so it ends here.
    if (this.stopped) void lambdaWorker.terminate();
    return lambdaWorker;
  }

  private release(worker: LambdaWorker): void {
    // A dead worker's place goes to the next waiting invocation when its thread has exited (see createWorker).
    if (worker.dead) return;
    const next = this.waiting.shift();
    if (next) {
      next(worker);
      return;
    }
    if (this.stopped) {
      void worker.terminate();
      return;
    }
    this.idle.push(worker);
    if (this.idle.length > 1) {
      worker.startIdleTimer(idleWorkerTtlMs, () => {
        const at = this.idle.indexOf(worker);
        if (at >= 0) this.idle.splice(at, 1);
        void worker.terminate();
      });
    }
  }

  private context(requestId: string, timeoutMs: number): InvocationContext {
    const { name, arn, memoryMb } = this.definition;
    const now = new Date();
    const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
    return {
      awsRequestId: requestId,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: arn,
      memoryLimitInMB: String(memoryMb),
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
      deadlineMs: Date.now() + timeoutMs,
      traceId: `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`,
    };
  }

  private logError(requestId: string, error: LambdaError): void {
    const lines = [
      `ERROR ${requestId} Invoke Error ${error.errorType}: ${error.errorMessage}`,
      ...error.trace.slice(1),
    ];
    for (const line of lines) this.options.log(`[${this.definition.name}] ${line}`);
  }
}

/** One execution environment: a worker thread running the function's handler. */
class LambdaWorker {
  dead = false;
  private readonly ready: Promise<LambdaError | undefined>;
  private readonly exited: Promise<void>;
  private pending: { id: number; resolve: (outcome: InvokeOutcome) => void; timeOut: () => void } | undefined;
  private crashError: LambdaError | undefined;
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly worker: Worker,
    name: string,
    log: (line: string) => void,
    printed: (line: string) => void,
    onExit: () => void,
  ) {
    for (const stream of [worker.stdout, worker.stderr]) {
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
        printed(line);
        log(`[${name}] ${line}`);
      });
    }
    let settleReady: (error: LambdaError | undefined) => void = () => {};
    this.ready = new Promise((resolve) => {
      settleReady = resolve;
    });
    const initTimer = setTimeout(() => {
      settleReady({
        errorType: 'Sandbox.Timedout',
        errorMessage: `Init timed out after ${initTimeoutMs / 1000}.00 seconds`,
        trace: [],
      });
      void this.terminate();
    }, initTimeoutMs);
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready' || message.type === 'init-error') {
        clearTimeout(initTimer);
        settleReady(message.type === 'ready' ? undefined : message.error);
        if (message.type === 'init-error') void this.terminate();
      } else if (message.type === 'crash') {
        this.crashError = message.error;
      } else if (message.type === 'cut') {
        if (this.pending?.id === message.id) this.pending.timeOut();
      } else if (this.pending?.id === message.id) {
        this.pending.resolve(
          message.type === 'result'
            ? { ok: true, payload: JSON.parse(message.payload) }
            : { ok: false, error: message.error },
        );
      }
    });
    worker.on('error', (error) => {
      this.crashError ??= {
        errorType: error.name,
        errorMessage: error.message,
        trace: (error.stack ?? '').split('\n'),
      };
    });
    this.exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        clearTimeout(initTimer);
        this.dead = true;
        this.cancelIdleTimer();
        const error = this.crashError ?? {
          errorType: 'Runtime.ExitError',
          errorMessage: `Runtime exited with error: exit status ${code}`,
          trace: [],
        };
        settleReady(error);
        this.pending?.resolve({ ok: false, error });
        onExit();
        resolve();
      });
    });
  }

  async invoke(
    event: unknown,
    context: InvocationContext,
    timeoutMs: number,
    faults?: InvocationFaults,
  ): Promise<InvokeOutcome> {
    const initError = await this.ready;
    if (initError) return { ok: false, error: initError };
    return new Promise<InvokeOutcome>((resolve) => {
      const id = ++this.nextId;
      // At the timeout (or when an injected one strikes) Lambda ends the execution environment mid-work.
      const timeOut = () => {
        clearTimeout(timer);
        this.pending = undefined;
        void this.terminate();
        resolve({
          ok: false,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
            trace: [],
          },
        });
      };
      const timer = setTimeout(timeOut, timeoutMs);
      this.pending = {
        id,
        resolve: (outcome) => {
          clearTimeout(timer);
          this.pending = undefined;
          resolve(outcome);
        },
        timeOut,
      };
      this.worker.postMessage({ type: 'invoke', id, event, context, ...(faults ? { faults } : {}) } satisfies ToWorker);
    });
  }

  startIdleTimer(ms: number, onIdle: () => void): void {
    this.idleTimer = setTimeout(onIdle, ms);
    this.idleTimer.unref();
  }

  cancelIdleTimer(): void {
    clearTimeout(this.idleTimer);
  }

  async terminate(): Promise<void> {
    this.dead = true;
    this.cancelIdleTimer();
    await this.worker.terminate();
    await this.exited;
  }
}
