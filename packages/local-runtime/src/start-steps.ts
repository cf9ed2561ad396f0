import { join } from 'node:path';
import { Activity } from './activity';
import { functionCodeLocator, type StackArtifact } from './assembly';
import { AwsEndpoint } from './aws-api/aws-endpoint';
import { awsServicePaths } from './aws-api/service-paths';
import type { Clock, Timescale } from './clock';
import { Destinations } from './destinations';
import {
  connectDynamoDb,
  type DynamoDbLocal,
  launchDynamoDbLocal,
  localDynamoDbClient,
} from './dynamodb/dynamodb-local';
import { ensureTables } from './dynamodb/tables';
import { EventBridge } from './events/event-bridge';
import { ScheduledRules } from './events/scheduled-rules';
import { HttpApi } from './http/http-api';
import { gatewayError, type HttpRequest, type HttpResponse } from './http/http-message';
import { FaultInjector } from './lambda/faults';
import { LambdaService } from './lambda/lambda-service';
import { providedModulesDirectory } from './lambda/provided-modules';
import { workerScripts } from './lambda/worker-scripts';
import { DynamoDbMeteringProxy } from './metering/dynamodb-proxy';
import { Meter } from './metering/meter';
import { Scheduler } from './scheduler/scheduler';
import { SecretsManager } from './secrets/secrets-manager';
import { type ListeningServer, listen, type RequestHandler } from './server/http-server';
import { StaticSites } from './server/static-sites';
import { SesV2 } from './ses/sesv2';
import { SmsVoiceV2 } from './sms/sms-voice-v2';
import type { Queue } from './sqs/queue';
import { QueueRegistry } from './sqs/queue-registry';
import { SqsApi } from './sqs/sqs-api';
import { SqsEventSource } from './sqs/sqs-event-source';
import { functionNameOf } from './template/resources/functions';
import { buildStackModel, type StackModel } from './template/stack-model';
import { StackTemplate } from './template/stack-template';
import { staticSitesOf } from './template/static-sites';

/** What every start step shares. */
export interface StartContext {
  readonly log: (line: string) => void;
  readonly clock: Clock;
  readonly timescale: Timescale;
  readonly region: string;
  readonly account: string;
  readonly cleanup: Cleanup;
}

/** Stop steps, run once, the last added first. */
export class Cleanup {
  private readonly steps: Array<() => Promise<void> | void> = [];
  private stopped: Promise<void> | undefined;

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.stopped ??= (async () => {
      for (const step of this.steps.splice(0).reverse()) await step();
    })();
    return this.stopped;
  }
}

/** The main port: until `open`, it answers 503 saying what start-up waits for. */
export class FrontDoor {
  private step = 'waiting for DynamoDB Local';
  private handler: RequestHandler | undefined;

  readonly handle: RequestHandler = (request) =>
    this.handler ? this.handler(request) : Promise.resolve(startingUp(this.step));

  waitFor(step: string): void {
    this.step = step;
  }

  open(handler: RequestHandler): void {
    this.handler = handler;
  }
}

/** What the port answers before the runtime is ready: 503, saying what it waits for, and when to try again. */
function startingUp(step: string): HttpResponse {
  const response = gatewayError(503, `starting: ${step}`);
  response.headers.push(['retry-after', '1']);
  return response;
}

export async function notFound(): Promise<HttpResponse> {
  return gatewayError(404, 'Not Found');
}

export async function startDynamoDb(
  options: { dynamoEndpoint?: string; dataDir?: string },
  { log, cleanup }: Pick<StartContext, 'log' | 'cleanup'>,
): Promise<DynamoDbLocal> {
  const dynamo = options.dynamoEndpoint
    ? connectDynamoDb(options.dynamoEndpoint)
    : await launchDynamoDbLocal({ ...(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {}), log });
  cleanup.add(() => dynamo.stop());
  return dynamo;
}

export async function listenOn(
  host: string,
  port: number,
  handler: RequestHandler,
  cleanup: Cleanup,
): Promise<ListeningServer> {
  const server = await listen(host, port, handler);
  cleanup.add(() => server.close());
  return server;
}

/** The first HTTP API is served on the main port; further ones (rare) get their own ports, dispatched once built. */
export async function listenForFurtherApis(
  artifact: StackArtifact,
  host: string,
  cleanup: Cleanup,
): Promise<{ servers: Map<string, ListeningServer>; dispatch: Map<string, RequestHandler> }> {
  const httpApiIds = Object.entries(artifact.template.Resources)
    .filter(
      ([, resource]) => resource.Type === 'AWS::ApiGatewayV2::Api' && resource.Properties?.ProtocolType === 'HTTP',
    )
    .map(([logicalId]) => logicalId);
  const servers = new Map<string, ListeningServer>();
  const dispatch = new Map<string, RequestHandler>();
  for (const logicalId of httpApiIds.slice(1)) {
    servers.set(
      logicalId,
      await listenOn(host, 0, (request) => dispatch.get(logicalId)?.(request) ?? notFound(), cleanup),
    );
  }
  return { servers, dispatch };
}

export function readStack(
  artifact: StackArtifact,
  assemblyDir: string,
  { region, account }: Pick<StartContext, 'region' | 'account'>,
  ports: { mainUrl: string; apiServers: ReadonlyMap<string, ListeningServer> },
): { template: StackTemplate; model: StackModel } {
  const template = new StackTemplate(artifact.template, {
    stackName: artifact.stackName,
    region,
    account,
    sqsEndpoint: `${ports.mainUrl}${awsServicePaths.sqs}`,
    apiEndpoint: (logicalId) => ports.apiServers.get(logicalId)?.url ?? ports.mainUrl,
    localOrigin: ports.mainUrl,
  });
  return { template, model: buildStackModel(template, functionCodeLocator(template, artifact.assets, assemblyDir)) };
}

export function staticSites(template: StackTemplate, artifact: StackArtifact, log: (line: string) => void) {
  return new StaticSites(staticSitesOf(template, artifact.assets, log));
}

/** The meter of every billable operation, and the DynamoDB proxy that meters the functions' calls on their way in. */
export async function startMetering(
  model: StackModel,
  dynamoEndpoint: string,
  host: string,
  { region, cleanup }: StartContext,
): Promise<{ meter: Meter; dynamoDbProxyUrl: string }> {
  const meter = new Meter(
    model.functions,
    model.eventSourceMappings.filter((mapping) => mapping.enabled).map((mapping) => mapping.functionName),
  );
  const proxy = new DynamoDbMeteringProxy(dynamoEndpoint, region, model.tables, (caller, units) =>
    meter.dynamoDb(caller, units),
  );
  const server = await listenOn(host, 0, proxy.handle, cleanup);
  return { meter, dynamoDbProxyUrl: server.url };
}

export function startQueues(model: StackModel, { clock, timescale, cleanup }: StartContext): QueueRegistry {
  const queues = new QueueRegistry(model.queues, clock, timescale);
  cleanup.add(() => queues.dispose());
  return queues;
}

export interface Compute {
  readonly functions: LambdaService;
  readonly bridge: EventBridge;
  readonly destinations: Destinations;
  readonly faults: FaultInjector;
  readonly activity: Activity;
  readonly meter: Meter;
}

/**
 * The functions, the event bus and the destinations between them: each delivers to the others (async invocation
 * records, rule targets), so they are built together and refer to each other only when a delivery happens.
 */
export function startCompute(
  model: StackModel,
  queues: QueueRegistry,
  endpoints: { dynamodb: string; aws: string },
  defaultConcurrency: number,
  meter: Meter,
  context: StartContext,
): Compute {
  const { log, clock, timescale, account, region } = context;
  const activity = new Activity();
  const faults = new FaultInjector();
  const destinations = new Destinations({
    queues,
    eventBridge: () => bridge,
    invokeAsync: (functionName, event) => functions.invokeAsync(functionName, event),
    hasFunction: (functionName) => functions.concurrencyOf(functionName) !== undefined,
    account,
    region,
    log,
  });
  const functions = new LambdaService(model, {
    endpoints: { ...endpoints, region },
    providedModules: providedModulesDirectory(),
    scripts: workerScripts(),
    defaultConcurrency,
    faults,
    activity,
    meter,
    clock,
    timescale,
    log,
    destinations: {
      sendToDestination: (arn, record, success) =>
        reportFailure(log, () =>
          destinations.sendInvocationRecord(
            functions.asyncSettings(record.requestContext.functionArn),
            arn,
            record,
            success,
          ),
        ),
      sendToDeadLetterQueue: (arn, event, requestId, error) =>
        reportFailure(log, () => destinations.sendToDeadLetterQueue(arn, event, requestId, error)),
    },
  });
  context.cleanup.add(() => functions.stop());
  const bridge = new EventBridge(model.buses, model.rules, {
    account,
    region,
    now: () => new Date(clock.now()),
    deliver: (delivery) => destinations.deliverToTarget(delivery),
    deliveryFailed: (delivery, error) => reportFailure(log, () => destinations.targetDeliveryFailed(delivery, error)),
  });
  return { functions, bridge, destinations, faults, activity, meter };
}

/** Scheduled rules and EventBridge Scheduler schedules, armed by `start()`. */
export function startTimers(
  model: StackModel,
  { bridge, destinations, meter }: Compute,
  { log, clock, timescale, account, region, cleanup }: StartContext,
): { schedules: ScheduledRules; scheduler: Scheduler } {
  const schedules = new ScheduledRules(model.rules, {
    clock,
    timescale,
    account,
    region,
    fire: (rule, event) => bridge.deliverToTargets(rule, event),
    log,
  });
  cleanup.add(() => schedules.stop());
  const scheduler = new Scheduler(model.scheduleGroups, model.schedules, {
    clock,
    timescale,
    account,
    region,
    deliver: (target, input) => {
      meter.scheduled(target.arn.includes(':function:') ? functionNameOf(target.arn) : undefined);
      destinations.deliverToScheduleTarget(target, input);
    },
    deadLetter: (queueArn, body, attributes) => destinations.sendToScheduleDeadLetterQueue(queueArn, body, attributes),
    log,
  });
  cleanup.add(() => scheduler.stop());
  return { schedules, scheduler };
}

/** The stack's SQS event source mappings that can run here (a queue of the stack feeding a function of it). */
export function eventSourcesOf(
  model: StackModel,
  queues: QueueRegistry,
  { functions, meter }: Compute,
  { log, clock, timescale, region, cleanup }: StartContext,
): SqsEventSource[] {
  const sources = model.eventSourceMappings.flatMap((mapping) => {
    const queue = queues.byArn(mapping.eventSourceArn);
    const concurrency = functions.concurrencyOf(mapping.functionName);
    if (!queue || concurrency === undefined) {
      log(`[runtime] event source ${mapping.logicalId} (${mapping.eventSourceArn}) is not supported locally: skipped`);
      return [];
    }
    return [
      new SqsEventSource(mapping, queue, {
        invoke: (event) => {
          meter.polled(
            mapping.functionName,
            event.Records.map((record) => record.body),
          );
          return functions.invoke(mapping.functionName, event);
        },
        clock,
        timescale,
        region,
        maxConcurrency: Math.min(mapping.maximumConcurrency ?? concurrency, concurrency),
        log,
      }),
    ];
  });
  cleanup.add(() => {
    for (const source of sources) source.stop();
  });
  return sources;
}

/** The AWS APIs functions call locally under `/__aws` (SQS, EventBridge, Secrets Manager, Scheduler, SESv2, SMS). */
export function startAwsApis(
  model: StackModel,
  queues: QueueRegistry,
  bridge: EventBridge,
  scheduler: Scheduler,
  meter: Meter,
  secretOptions: { secretValues?: Record<string, string>; dataDir?: string },
  { clock, timescale, cleanup }: StartContext,
): { awsEndpoint: AwsEndpoint; sesv2: SesV2; smsVoice: SmsVoiceV2 } {
  const sesv2 = new SesV2(clock);
  const smsVoice = new SmsVoiceV2(model.topics, queues, clock);
  const secrets = new SecretsManager(model.secrets, {
    ...(secretOptions.secretValues ? { values: secretOptions.secretValues } : {}),
    ...(secretOptions.dataDir ? { persistFile: join(secretOptions.dataDir, 'secrets.json') } : {}),
  });
  const sqsApi = new SqsApi(queues, clock, timescale);
  cleanup.add(() => sqsApi.dispose());
  return {
    awsEndpoint: new AwsEndpoint(
      { sqs: sqsApi, eventBridge: bridge, secrets, scheduler, sesv2, smsVoice },
      (caller, call) => meter.awsApiCall(caller, call),
    ),
    sesv2,
    smsVoice,
  };
}

/**
 * The stack's HTTP APIs, each request counted as activity and metered: those with their own port are dispatched there; the one
 * for the main port is returned.
 */
export function startHttpApis(
  model: StackModel,
  { functions, activity, meter }: Compute,
  furtherApis: { servers: ReadonlyMap<string, ListeningServer>; dispatch: Map<string, RequestHandler> },
  { log, clock, account, region }: StartContext,
): RequestHandler | undefined {
  const serve = (api: HttpApi) => async (request: HttpRequest) => {
    const done = activity.begin('HTTP request');
    try {
      const response = await api.handle(request);
      meter.apiRequest(api.integrationOf(request), request.body.length + response.body.length);
      return response;
    } finally {
      done();
    }
  };
  const apis = model.httpApis.map(
    (definition) =>
      new HttpApi(definition, {
        invoke: (name, event) => functions.invoke(name, event),
        clock,
        accountId: account,
        region,
        log,
      }),
  );
  for (const api of apis) furtherApis.dispatch.set(api.definition.logicalId, serve(api));
  const mainApi = apis.find((api) => !furtherApis.servers.has(api.definition.logicalId));
  return mainApi ? serve(mainApi) : undefined;
}

export async function createTables(dynamo: DynamoDbLocal, model: StackModel, region: string): Promise<void> {
  await dynamo.ready;
  const client = localDynamoDbClient(dynamo.endpoint, region);
  try {
    await ensureTables(client, model.tables);
  } finally {
    client.destroy();
  }
}

/** What keeps the runtime from being idle: activity, due schedules, messages in a queue a function consumes. */
export function busyReasonsOf(
  activity: Activity,
  scheduler: Scheduler,
  eventSources: readonly SqsEventSource[],
  queues: QueueRegistry,
): () => string[] {
  const consumedQueues = new Set<Queue>(
    eventSources
      .filter((source) => source.mapping.enabled)
      .map((source) => queues.byArn(source.mapping.eventSourceArn) as Queue),
  );
  return () => {
    const reasons = [...activity.busy(), ...scheduler.due()];
    for (const queue of consumedQueues) {
      const { visible, inFlight, delayed } = queue.stats();
      if (visible + inFlight + delayed > 0) {
        reasons.push(`${queue.definition.logicalId}: ${visible} visible, ${inFlight} in flight, ${delayed} delayed`);
      }
    }
    return reasons;
  };
}

function reportFailure(log: (line: string) => void, send: () => void): void {
  try {
    send();
  } catch (error) {
    log(`[runtime] ${(error as Error).message}`);
  }
}
