import { join, resolve } from 'node:path';
import { Activity } from './activity';
import { functionCodeLocator, readStackArtifact } from './assembly';
import { AwsEndpoint } from './aws-api/aws-endpoint';
import { awsServicePaths } from './aws-api/service-paths';
import { systemClock, timescale as timescaleOf } from './clock';
import { Destinations } from './destinations';
import { connectDynamoDb, launchDynamoDbLocal, localDynamoDbClient } from './dynamodb/dynamodb-local';
import { ensureTables } from './dynamodb/tables';
import type { EventBridgeEvent } from './events/event';
import { EventBridge } from './events/event-bridge';
import { ScheduledRules } from './events/scheduled-rules';
import { HttpApi } from './http/http-api';
import { gatewayError, type HttpRequest, type HttpResponse } from './http/http-message';
import { waitUntilIdle } from './idle';
import { FaultInjector, type FaultSpec } from './lambda/faults';
import { LambdaService } from './lambda/lambda-service';
import { providedModulesDirectory } from './lambda/provided-modules';
import { workerScripts } from './lambda/worker-scripts';
import { type ScheduleInfo, Scheduler } from './scheduler/scheduler';
import { SecretsManager } from './secrets/secrets-manager';
import { type ListeningServer, listen } from './server/http-server';
import { StaticSites } from './server/static-sites';
import { type SentEmail, SesV2 } from './ses/sesv2';
import type { Queue } from './sqs/queue';
import { systemAttributes } from './sqs/queue';
import { QueueRegistry } from './sqs/queue-registry';
import { SqsApi } from './sqs/sqs-api';
import { SqsEventSource } from './sqs/sqs-event-source';
import { buildStackModel, type StackModel } from './template/stack-model';
import { StackTemplate } from './template/stack-template';
import { staticSitesOf } from './template/static-sites';

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
  /** Base URL of the local AWS APIs (SQS, EventBridge, Secrets Manager, Scheduler, SESv2). */
  awsEndpoint: string;
  dynamoEndpoint: string;
  stackName: string;
  /** The stack's outputs, resolved to local values. */
  outputs: Record<string, string>;
  /** Logical id → local name or URL of each resource the runtime runs. */
  resources: RuntimeResources;
  startupMs: number;
  faults: { inject(spec: FaultSpec): void; clear(): void };
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
  const clock = systemClock;
  const timescale = timescaleOf(options.timeScale ?? 1);
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const cleanup: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  };

  try {
    // DynamoDB Local's JVM takes seconds to start: launch it first and do everything else meanwhile.
    const dynamo = options.dynamoEndpoint
      ? connectDynamoDb(options.dynamoEndpoint)
      : await launchDynamoDbLocal({ ...(dataDir ? { dataDir: join(dataDir, 'dynamodb') } : {}), log });
    cleanup.push(() => dynamo.stop());
    const assemblyDir = resolve(
      typeof options.assemblyDir === 'string' ? options.assemblyDir : await options.assemblyDir(),
    );
    const artifact = await readStackArtifact(assemblyDir, options.stackName);

    let starting = 'waiting for DynamoDB Local';
    let handleRequest: (request: HttpRequest) => Promise<HttpResponse> = async () => startingUp(starting);
    const mainServer = await listen(host, options.port ?? 3000, (request) => handleRequest(request));
    cleanup.push(() => mainServer.close());
    const apiServers = new Map<string, ListeningServer>();
    const httpApiIds = Object.entries(artifact.template.Resources)
      .filter(
        ([, resource]) => resource.Type === 'AWS::ApiGatewayV2::Api' && resource.Properties?.ProtocolType === 'HTTP',
      )
      .map(([logicalId]) => logicalId);
    const region = artifact.region ?? defaultRegion;
    const account = artifact.account ?? defaultAccount;
    const template = new StackTemplate(artifact.template, {
      stackName: artifact.stackName,
      region,
      account,
      sqsEndpoint: `${mainServer.url}${awsServicePaths.sqs}`,
      apiEndpoint: (logicalId) => apiServers.get(logicalId)?.url ?? mainServer.url,
      localOrigin: mainServer.url,
    });
    // Further HTTP APIs (rare) get their own ports; the first one is served on the main port.
    const apiDispatch = new Map<string, (request: HttpRequest) => Promise<HttpResponse>>();
    for (const logicalId of httpApiIds.slice(1)) {
      const server = await listen(host, 0, (request) => apiDispatch.get(logicalId)?.(request) ?? notFound());
      apiServers.set(logicalId, server);
      cleanup.push(() => server.close());
    }
    const model = buildStackModel(template, functionCodeLocator(template, artifact.assets, assemblyDir));
    const sites = new StaticSites(staticSitesOf(template, artifact.assets, log));

    const activity = new Activity();
    const faults = new FaultInjector();
    const queues = new QueueRegistry(model.queues, clock, timescale);
    cleanup.push(() => queues.dispose());

    let eventBridge: EventBridge | undefined;
    let lambdas: LambdaService | undefined;
    const destinations = new Destinations({
      queues,
      eventBridge: () => eventBridge as EventBridge,
      invokeAsync: (functionName, event) => lambdas?.invokeAsync(functionName, event),
      hasFunction: (functionName) => lambdas?.concurrencyOf(functionName) !== undefined,
      account,
      region,
      log,
    });
    const defaultConcurrency = options.maxConcurrencyPerFunction ?? 4;
    lambdas = new LambdaService(model, {
      endpoints: { dynamodb: dynamo.endpoint, aws: mainServer.url, region },
      providedModules: providedModulesDirectory(),
      scripts: workerScripts(),
      defaultConcurrency,
      faults,
      activity,
      clock,
      timescale,
      log,
      destinations: {
        sendToDestination: (arn, record, success) =>
          reportFailure(log, () =>
            destinations.sendInvocationRecord(
              (lambdas as LambdaService).asyncSettings(record.requestContext.functionArn),
              arn,
              record,
              success,
            ),
          ),
        sendToDeadLetterQueue: (arn, event, requestId, error) =>
          reportFailure(log, () => destinations.sendToDeadLetterQueue(arn, event, requestId, error)),
      },
    });
    const functions = lambdas;
    cleanup.push(() => functions.stop());

    eventBridge = new EventBridge(model.buses, model.rules, {
      account,
      region,
      now: () => new Date(clock.now()),
      deliver: (delivery) => destinations.deliverToTarget(delivery),
      deliveryFailed: (delivery, error) => reportFailure(log, () => destinations.targetDeliveryFailed(delivery, error)),
    });
    const bridge = eventBridge;
    const schedules = new ScheduledRules(model.rules, {
      clock,
      timescale,
      account,
      region,
      fire: (rule, event) => bridge.deliverToTargets(rule, event),
      log,
    });
    cleanup.push(() => schedules.stop());
    const scheduler = new Scheduler(model.scheduleGroups, model.schedules, {
      clock,
      timescale,
      account,
      region,
      deliver: (target, input) => destinations.deliverToScheduleTarget(target, input),
      deadLetter: (queueArn, body, attributes) =>
        destinations.sendToScheduleDeadLetterQueue(queueArn, body, attributes),
      log,
    });
    cleanup.push(() => scheduler.stop());
    const sesv2 = new SesV2(clock);

    const eventSources = model.eventSourceMappings.flatMap((mapping) => {
      const queue = queues.byArn(mapping.eventSourceArn);
      const concurrency = functions.concurrencyOf(mapping.functionName);
      if (!queue || concurrency === undefined) {
        log(
          `[runtime] event source ${mapping.logicalId} (${mapping.eventSourceArn}) is not supported locally: skipped`,
        );
        return [];
      }
      return [
        new SqsEventSource(mapping, queue, {
          invoke: (event) => functions.invoke(mapping.functionName, event),
          clock,
          timescale,
          region,
          maxConcurrency: Math.min(mapping.maximumConcurrency ?? concurrency, concurrency),
          log,
        }),
      ];
    });
    cleanup.push(() => {
      for (const source of eventSources) source.stop();
    });

    const secrets = new SecretsManager(model.secrets, {
      ...(options.secretValues ? { values: options.secretValues } : {}),
      ...(dataDir ? { persistFile: join(dataDir, 'secrets.json') } : {}),
    });
    const sqsApi = new SqsApi(queues, clock, timescale);
    cleanup.push(() => sqsApi.dispose());
    const awsEndpoint = new AwsEndpoint({ sqs: sqsApi, eventBridge: bridge, secrets, scheduler, sesv2 });
    const serveApi = async (api: HttpApi, request: HttpRequest) => {
      const done = activity.begin('HTTP request');
      try {
        return await api.handle(request);
      } finally {
        done();
      }
    };
    const httpApis = model.httpApis.map(
      (definition) =>
        new HttpApi(definition, {
          invoke: (name, event) => functions.invoke(name, event),
          clock,
          accountId: account,
          region,
          log,
        }),
    );
    for (const api of httpApis) apiDispatch.set(api.definition.logicalId, (request) => serveApi(api, request));
    const mainApi = httpApis.find((api) => !apiServers.has(api.definition.logicalId));

    await dynamo.ready;
    starting = `creating ${model.tables.length} tables`;
    const dynamoClient = localDynamoDbClient(dynamo.endpoint, region);
    try {
      await ensureTables(dynamoClient, model.tables);
    } finally {
      dynamoClient.destroy();
    }
    handleRequest = (request) => {
      if (awsEndpoint.handles(request.path)) return awsEndpoint.handle(request);
      if (sites.handles(request.path)) return sites.handle(request);
      return mainApi ? serveApi(mainApi, request) : notFound();
    };
    for (const source of eventSources) source.start();
    schedules.start();
    scheduler.start();

    const consumedQueues = new Set<Queue>(
      eventSources
        .filter((source) => source.mapping.enabled)
        .map((source) => queues.byArn(source.mapping.eventSourceArn) as Queue),
    );
    const busyReasons = () => {
      const reasons = [...activity.busy(), ...scheduler.due()];
      for (const queue of consumedQueues) {
        const { visible, inFlight, delayed } = queue.stats();
        if (visible + inFlight + delayed > 0) {
          reasons.push(`${queue.definition.logicalId}: ${visible} visible, ${inFlight} in flight, ${delayed} delayed`);
        }
      }
      return reasons;
    };

    let stopped: Promise<void> | undefined;
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
      redrive: async (deadLetterQueue, toQueue) =>
        queues.redrive(queues.get(deadLetterQueue), toQueue === undefined ? undefined : queues.get(toQueue)),
      idle: (timeoutMs = 30_000) => waitUntilIdle(busyReasons, timeoutMs),
      stop: () => {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
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

function reportFailure(log: (line: string) => void, send: () => void): void {
  try {
    send();
  } catch (error) {
    log(`[runtime] ${(error as Error).message}`);
  }
}

/** What the port answers before the runtime is ready: 503, saying what it waits for, and when to try again. */
function startingUp(step: string): HttpResponse {
  const response = gatewayError(503, `starting: ${step}`);
  response.headers.push(['retry-after', '1']);
  return response;
}

async function notFound(): Promise<HttpResponse> {
  return gatewayError(404, 'Not Found');
}
