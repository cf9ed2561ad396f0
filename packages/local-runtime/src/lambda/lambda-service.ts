import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Activity } from '../activity';
import type { Clock, Timescale } from '../clock';
import type { Meter } from '../metering/meter';
import { functionNameOf } from '../template/resources/functions';
import type { StackModel } from '../template/stack-model';
import { AsyncInvoker, type AsyncInvokerDependencies, type AsyncInvokeSettings } from './async-invoker';
import { type LocalEndpoints, lambdaEnvironment } from './environment';
import type { FaultInjector } from './faults';
import { FunctionPool, type InvokeOutcome } from './function-pool';
import type { LambdaError } from './worker/protocol';
import type { WorkerScripts } from './worker-scripts';

export interface LambdaServiceOptions {
  endpoints: LocalEndpoints;
  /** A node_modules folder with what Lambda provides (the AWS SDK): see providedModulesDirectory. */
  providedModules: string;
  scripts: Promise<WorkerScripts>;
  /** Concurrency of a function without reserved concurrency. */
  defaultConcurrency: number;
  faults: FaultInjector;
  activity: Activity;
  meter?: Pick<Meter, 'invoked' | 'printed'>;
  clock: Clock;
  timescale: Timescale;
  log: (line: string) => void;
  /** Where asynchronous invocations send their records and failed events. */
  destinations: Pick<AsyncInvokerDependencies, 'sendToDestination' | 'sendToDeadLetterQueue'>;
}

/** The stack's functions: synchronous and asynchronous invocation, with fault injection and activity tracking. */
export class LambdaService {
  private readonly pools: Map<string, FunctionPool>;
  private readonly asyncInvoker: AsyncInvoker;

  constructor(
    private readonly model: Pick<StackModel, 'functions' | 'invokeConfigs'>,
    private readonly options: LambdaServiceOptions,
  ) {
    this.pools = new Map(
      model.functions.map((definition) => [
        definition.name,
        new FunctionPool(definition, {
          environment: lambdaEnvironment(definition, options.endpoints, options.providedModules),
          maxWorkers: localConcurrency(definition, options.defaultConcurrency),
          log: options.log,
          scripts: options.scripts,
          // Bare imports resolve from the node_modules folder next to their parent module.
          sdkParentUrl: pathToFileURL(join(dirname(options.providedModules), 'index.js')).href,
          ...(options.meter ? { meter: options.meter } : {}),
        }),
      ]),
    );
    this.asyncInvoker = new AsyncInvoker({
      invoke: (name, event, requestId) => this.invoke(name, event, requestId),
      ...options.destinations,
      clock: options.clock,
      timescale: options.timescale,
      activity: options.activity,
      log: options.log,
    });
  }

  /** A synchronous (RequestResponse) invocation by name or ARN. */
  async invoke(functionName: string, event: unknown, requestId: string = randomUUID()): Promise<InvokeOutcome> {
    const pool = this.pools.get(functionNameOf(functionName));
    if (!pool) {
      return {
        ok: false,
        error: {
          errorType: 'ResourceNotFoundException',
          errorMessage: `Function not found: ${functionName}`,
          trace: [],
        },
      };
    }
    const done = this.options.activity.begin(`invocation of ${pool.definition.name}`);
    try {
      const fault = this.options.faults.check(pool.definition, event);
      if (fault?.before) return this.injectedFailure(pool, requestId, fault.before);
      const outcome = await pool.invoke(event, requestId, fault?.worker);
      if (fault?.after && outcome.ok) return this.injectedFailure(pool, requestId, fault.after);
      return outcome;
    } finally {
      done();
    }
  }

  private injectedFailure(pool: FunctionPool, requestId: string, error: LambdaError): InvokeOutcome {
    this.options.log(`[${pool.definition.name}] ERROR ${requestId} ${error.errorType}: ${error.errorMessage}`);
    return { ok: false, error };
  }

  /** An asynchronous (Event) invocation: accepted at once, retried and dead-lettered as Lambda does. */
  invokeAsync(functionName: string, event: unknown): string {
    return this.asyncInvoker.invoke(this.asyncSettings(functionName), event);
  }

  asyncSettings(functionNameOrArn: string): AsyncInvokeSettings {
    const name = functionNameOf(functionNameOrArn);
    const definition = this.model.functions.find((fn) => fn.name === name);
    const config = this.model.invokeConfigs.find((candidate) => candidate.functionName === name);
    return {
      functionName: name,
      functionArn: definition?.arn ?? functionNameOrArn,
      maximumRetryAttempts: config?.maximumRetryAttempts ?? 2,
      maximumEventAgeSeconds: config?.maximumEventAgeSeconds ?? 21_600,
      ...(config?.onFailure ? { onFailure: config.onFailure } : {}),
      ...(config?.onSuccess ? { onSuccess: config.onSuccess } : {}),
      ...(definition?.deadLetterTargetArn ? { deadLetterTargetArn: definition.deadLetterTargetArn } : {}),
    };
  }

  /** How many invocations of the function can run at once, or undefined for an unknown function. */
  concurrencyOf(functionName: string): number | undefined {
    const definition = this.pools.get(functionNameOf(functionName))?.definition;
    return definition && localConcurrency(definition, this.options.defaultConcurrency);
  }

  async stop(): Promise<void> {
    this.asyncInvoker.stop();
    await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
  }
}

/** Reserved concurrency caps a function here as in AWS, but never above what this machine runs of one function. */
function localConcurrency(definition: { reservedConcurrency?: number }, machineConcurrency: number): number {
  return Math.min(definition.reservedConcurrency ?? machineConcurrency, machineConcurrency);
}
