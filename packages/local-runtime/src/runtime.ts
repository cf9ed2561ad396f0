import { resolve } from 'node:path';
import { readStackArtifact } from './assembly';
import { systemClock, timescale as timescaleOf } from './clock';
import type { EventBridgeEvent } from './events/event';
import { waitUntilIdle } from './idle';
import type { FaultSpec } from './lambda/faults';
import type { MeterReport } from './metering/meter';
import type { ScheduleInfo } from './scheduler/scheduler';
import type { SentEmail } from './ses/sesv2';
import type { InboundText, SentSms } from './sms/sms-voice-v2';
import { systemAttributes } from './sqs/queue';
import {
  busyReasonsOf,
  Cleanup,
  createTables,
  eventSourcesOf,
  FrontDoor,
  listenForFurtherApis,
  listenOn,
  notFound,
  readStack,
  type StartContext,
  startAwsApis,
  startCompute,
  startDynamoDb,
  startHttpApis,
  startMetering,
  startQueues,
  startTimers,
  staticSites,
} from './start-steps';
import type { StackModel } from './template/stack-model';

export interface LocalRuntimeOptions {
  /**
   * A synthesized cloud assembly (`cdk.out`), or a function that synthesizes one and returns its directory: it runs
   * while DynamoDB Local starts.
   */
  assemblyDir: string | (() => Promise<string>);
  /** Default: the assembly's only stack. */
  stackName?: string;
  /** Port of the HTTP API (and of the local AWS APIs under `/__aws`); default 3000, 0 for any free port. */
  port?: number;
  host?: string;
  /** Keep DynamoDB data and generated secrets here; in memory when undefined. */
  dataDir?: string;
  /** Use this running DynamoDB (Local) instead of starting one; `dataDir` then only keeps secrets. */
  dynamoEndpoint?: string;
  /**
   * Secret values by logical id; others are generated once (and remembered in `dataDir`). Read once the assembly is
   * available, so a synthesizing `assemblyDir` function may still fill it in.
   */
  secretValues?: Record<string, string>;
  /** Multiplies every timer (visibility timeouts, batching windows, retry delays, schedules); default 1. */
  timeScale?: number;
  /** Receives every log line (function output prefixed by the function's name); default stdout. */
  log?: (line: string) => void;
  /** Most concurrent executions of one function without reserved concurrency; default 4. */
  maxConcurrencyPerFunction?: number;
}

export interface RuntimeResources {
  tables: Record<string, string>;
  queues: Record<string, string>;
  functions: Record<string, string>;
  rules: Record<string, string>;
  routes: Record<string, string>;
  buses: Record<string, string>;
  /** CloudFront distributions served from the cloud assembly: logical id → local URL (e.g. `…/dashboard/`). */
  sites: Record<string, string>;
}

export interface QueuedMessage {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

export interface LocalRuntime {
  /** Base URL of the HTTP API. */
  url: string;
  /** Base URL of the local AWS APIs (SQS, EventBridge, Secrets Manager, Scheduler, SESv2, SMS Voice V2). */
  awsEndpoint: string;
  dynamoEndpoint: string;
  stackName: string;
  /** The stack's outputs, resolved to local values. */
  outputs: Record<string, string>;
  /** Logical id → local name or URL of each resource the runtime runs. */
  resources: RuntimeResources;
  startupMs: number;
  faults: { inject(spec: FaultSpec): void; clear(): void };
  /**
   * Every billable operation since the start (or the last `reset()`), as AWS would bill it: per AWS service, per
   * cxloop service, per function and per line item, priced from `metering/prices.ts`.
   */
  meter: { reset(): void; report(): MeterReport };
  /** Calls `listener` for every event put on any bus; returns the unsubscribe function. */
  onEvent(listener: (busName: string, event: EventBridgeEvent) => void): () => void;
  /** The messages a queue holds now (by logical id, logical-id prefix, name, URL or ARN). */
  queueMessages(queue: string): QueuedMessage[];
  /** Every EventBridge Scheduler schedule (template and API), with its next invocation when one is armed. */
  schedules(): ScheduleInfo[];
  /** Every email SESv2 SendEmail accepted, oldest first. */
  outbox(): SentEmail[];
  /** `failNext(n)`: the next n SendEmail calls fail with TooManyRequestsException (429), which SDK clients retry. */
  ses: { failNext(count: number): void };
  /**
   * End User Messaging SMS: `outbox()` every text SendTextMessage accepted, oldest first; `failNext(n)` throttles the
   * next n sends; `receive({ from, body })` plays a customer's reply (e.g. STOP) to the stack's two-way channel.
   */
  sms: { outbox(): SentSms[]; failNext(count: number): void; receive(text: InboundText): string };
  /** Moves a dead-letter queue's messages back to its source queue (or `toQueue`); returns how many moved. */
  redrive(deadLetterQueue: string, toQueue?: string): Promise<number>;
  /**
   * Resolves when nothing is running: no invocation or HTTP request in progress, no pending async retry, no due
   * schedule waiting to be delivered (future ones do not count), and no message visible, delayed or in flight in a
   * queue a function consumes. Rejects after `timeoutMs` (default 30 s)
   * saying what is still busy.
   */
  idle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const defaultRegion = 'us-east-1';
const defaultAccount = '000000000000';

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const startedAt = Date.now();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const cleanup = new Cleanup();
  try {
    // DynamoDB Local's JVM takes seconds to start: launch it first and do everything else meanwhile.
    const dynamo = await startDynamoDb({ dynamoEndpoint: options.dynamoEndpoint, dataDir }, { log, cleanup });
    const assemblyDir = resolve(
      typeof options.assemblyDir === 'string' ? options.assemblyDir : await options.assemblyDir(),
    );
    const artifact = await readStackArtifact(assemblyDir, options.stackName);
    const frontDoor = new FrontDoor();
    const mainServer = await listenOn(host, options.port ?? 3000, frontDoor.handle, cleanup);
    const furtherApis = await listenForFurtherApis(artifact, host, cleanup);
    const context: StartContext = {
      log,
      clock: systemClock,
      timescale: timescaleOf(options.timeScale ?? 1),
      region: artifact.region ?? defaultRegion,
      account: artifact.account ?? defaultAccount,
      cleanup,
    };
    const { template, model } = readStack(artifact, assemblyDir, context, {
      mainUrl: mainServer.url,
      apiServers: furtherApis.servers,
    });
    const sites = staticSites(template, artifact, log);
    const queues = startQueues(model, context);
    const { meter, dynamoDbProxyUrl } = await startMetering(model, dynamo.endpoint, host, context);
    const compute = startCompute(
      model,
      queues,
      { dynamodb: dynamoDbProxyUrl, aws: mainServer.url },
      options.maxConcurrencyPerFunction ?? 4,
      meter,
      context,
    );
    const { schedules, scheduler } = startTimers(model, compute, context);
    const eventSources = eventSourcesOf(model, queues, compute, context);
    const { awsEndpoint, sesv2, smsVoice } = startAwsApis(
      model,
      queues,
      compute.bridge,
      scheduler,
      meter,
      { secretValues: options.secretValues, dataDir },
      context,
    );
    const mainApi = startHttpApis(model, compute, furtherApis, context);

    frontDoor.waitFor(`creating ${model.tables.length} tables`);
    await createTables(dynamo, model, context.region);
    frontDoor.open((request) => {
      if (awsEndpoint.handles(request.path)) return awsEndpoint.handle(request);
      if (sites.handles(request.path)) return sites.handle(request);
      return mainApi ? mainApi(request) : notFound();
    });
    for (const source of eventSources) source.start();
    schedules.start();
    scheduler.start();

    const { bridge, faults } = compute;
    const busyReasons = busyReasonsOf(compute.activity, scheduler, eventSources, queues);
    return {
      url: mainServer.url,
      awsEndpoint: `${mainServer.url}/__aws`,
      dynamoEndpoint: dynamo.endpoint,
      stackName: artifact.stackName,
      outputs: template.outputs(),
      resources: {
        ...resourcesOf(model),
        sites: Object.fromEntries(sites.sites.map((site) => [site.logicalId, `${mainServer.url}${site.localPath}/`])),
      },
      startupMs: Date.now() - startedAt,
      faults: { inject: (spec) => faults.inject(spec), clear: () => faults.clear() },
      meter: { reset: () => meter.reset(), report: () => meter.report() },
      onEvent: (listener) => bridge.onEvent(listener),
      queueMessages: (reference) =>
        queues
          .get(reference)
          .peek()
          .map((message) => ({
            messageId: message.messageId,
            body: message.body,
            attributes: systemAttributes(message),
            messageAttributes: message.messageAttributes,
          })),
      schedules: () => scheduler.list(),
      outbox: () => sesv2.outbox(),
      ses: { failNext: (count) => sesv2.failNext(count) },
      sms: {
        outbox: () => smsVoice.outbox(),
        failNext: (count) => smsVoice.failNext(count),
        receive: (text) => smsVoice.receive(text),
      },
      redrive: async (deadLetterQueue, toQueue) =>
        queues.redrive(queues.get(deadLetterQueue), toQueue === undefined ? undefined : queues.get(toQueue)),
      idle: (timeoutMs = 30_000) => waitUntilIdle(busyReasons, timeoutMs),
      stop: () => cleanup.run(),
    };
  } catch (error) {
    await cleanup.run();
    throw error;
  }
}

function resourcesOf(model: StackModel): Omit<RuntimeResources, 'sites'> {
  const byLogicalId = <T extends { logicalId: string }>(items: T[], value: (item: T) => string) =>
    Object.fromEntries(items.map((item) => [item.logicalId, value(item)]));
  return {
    tables: byLogicalId(model.tables, (table) => table.name),
    queues: byLogicalId(model.queues, (queue) => queue.url),
    functions: byLogicalId(model.functions, (fn) => fn.name),
    rules: byLogicalId(model.rules, (rule) => rule.name),
    routes: byLogicalId(
      model.httpApis.flatMap((api) => api.routes),
      (route) => route.routeKey,
    ),
    buses: byLogicalId(model.buses, (bus) => bus.name),
  };
}
