import type { Json } from './intrinsics';
import { busNameOf } from './physical-ids';
import type { StackTemplate } from './stack-template';

/** The resources the local runtime runs, read from the template with every value resolved. */
export interface StackModel {
  tables: TableDefinition[];
  queues: QueueDefinition[];
  functions: FunctionDefinition[];
  invokeConfigs: InvokeConfigDefinition[];
  eventSourceMappings: EventSourceMappingDefinition[];
  buses: BusDefinition[];
  rules: RuleDefinition[];
  httpApis: HttpApiDefinition[];
  secrets: SecretDefinition[];
  scheduleGroups: ScheduleGroupDefinition[];
  schedules: ScheduleDefinition[];
}

export interface TableDefinition {
  logicalId: string;
  name: string;
  keySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  attributeDefinitions: Array<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
  globalSecondaryIndexes: SecondaryIndex[];
  localSecondaryIndexes: SecondaryIndex[];
  ttlAttribute?: string;
}
export interface SecondaryIndex {
  IndexName: string;
  KeySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  Projection: { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
}

export interface QueueDefinition {
  logicalId: string;
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  contentBasedDeduplication: boolean;
  visibilityTimeoutSeconds: number;
  delaySeconds: number;
  retentionSeconds: number;
  maxMessageSizeBytes: number;
  receiveWaitTimeSeconds: number;
  redrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number };
}

export interface FunctionDefinition {
  logicalId: string;
  name: string;
  arn: string;
  /** `file.export`, as Lambda reads it. */
  handler: string;
  runtime: string;
  /** The unpacked code (the asset folder); undefined when the code is not available locally. */
  codeDirectory?: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  reservedConcurrency?: number;
  deadLetterTargetArn?: string;
  /** LoggingConfig: `JSON` or `Text`, and the application log level Lambda passes on. */
  logFormat?: string;
  applicationLogLevel?: string;
}

export interface InvokeConfigDefinition {
  functionName: string;
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  onFailure?: string;
  onSuccess?: string;
}

export interface EventSourceMappingDefinition {
  logicalId: string;
  functionName: string;
  eventSourceArn: string;
  batchSize: number;
  batchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  maximumConcurrency?: number;
  enabled: boolean;
  filterPatterns: unknown[];
}

export interface BusDefinition {
  logicalId: string;
  name: string;
  arn: string;
}

export interface RuleDefinition {
  logicalId: string;
  name: string;
  arn: string;
  busName: string;
  eventPattern?: unknown;
  scheduleExpression?: string;
  enabled: boolean;
  targets: TargetDefinition[];
}

export interface TargetDefinition {
  id: string;
  arn: string;
  input?: string;
  inputPath?: string;
  inputTransformer?: { inputPathsMap: Record<string, string>; inputTemplate: string };
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  deadLetterArn?: string;
  messageGroupId?: string;
}

export interface HttpApiDefinition {
  logicalId: string;
  apiId: string;
  name: string;
  cors?: CorsConfiguration;
  stage: StageDefinition;
  routes: RouteDefinition[];
}
export interface CorsConfiguration {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge?: number;
  allowCredentials: boolean;
}
export interface ThrottleSettings {
  burstLimit?: number;
  rateLimit?: number;
}
export interface StageDefinition {
  name: string;
  defaultThrottle?: ThrottleSettings;
  routeThrottles: Record<string, ThrottleSettings>;
}
export interface RouteDefinition {
  logicalId: string;
  routeKey: string;
  integration?: IntegrationDefinition;
  authorizer?: AuthorizerDefinition;
}
export interface IntegrationDefinition {
  functionName?: string;
  payloadFormatVersion: '1.0' | '2.0';
  timeoutMs: number;
}
export interface AuthorizerDefinition {
  id: string;
  name: string;
  functionName: string;
  payloadFormatVersion: '1.0' | '2.0';
  simpleResponses: boolean;
  identitySource: string[];
  ttlSeconds: number;
}

export interface SecretDefinition {
  logicalId: string;
  name: string;
  arn: string;
  secretString?: string;
  generate?: GenerateSecretStringOptions;
}
export interface GenerateSecretStringOptions {
  passwordLength?: number;
  excludeCharacters?: string;
  excludeLowercase?: boolean;
  excludeUppercase?: boolean;
  excludeNumbers?: boolean;
  excludePunctuation?: boolean;
  includeSpace?: boolean;
  requireEachIncludedType?: boolean;
  secretStringTemplate?: string;
  generateStringKey?: string;
}

export interface ScheduleGroupDefinition {
  name: string;
  arn: string;
}

/** An EventBridge Scheduler schedule, from the template or created through the API. */
export interface ScheduleDefinition {
  name: string;
  groupName: string;
  arn: string;
  scheduleExpression: string;
  timezone: string;
  /** Epoch ms. */
  startDate?: number;
  endDate?: number;
  flexibleTimeWindow: { mode: 'OFF' | 'FLEXIBLE'; maximumWindowInMinutes?: number };
  target: ScheduleTargetDefinition;
  actionAfterCompletion: 'DELETE' | 'NONE';
  state: 'ENABLED' | 'DISABLED';
  description?: string;
}
export interface ScheduleTargetDefinition {
  arn: string;
  roleArn: string;
  input?: string;
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  deadLetterArn?: string;
  messageGroupId?: string;
}

/** Locates a function's code; undefined when it is not available (inline code, container images). */
export type CodeLocator = (logicalId: string) => string | undefined;

export function buildStackModel(template: StackTemplate, codeDirectoryOf: CodeLocator): StackModel {
  const each = <T>(type: string, build: (logicalId: string, properties: Record<string, Json>) => T): T[] =>
    template.resourcesOfType(type).map(([logicalId]) => build(logicalId, template.propertiesOf(logicalId)));
  const text = (logicalId: string) => String(template.ref(logicalId));
  const attribute = (logicalId: string, name: string) => String(template.getAtt(logicalId, name));

  return {
    tables: each('AWS::DynamoDB::Table', (logicalId, p) => ({
      logicalId,
      name: text(logicalId),
      keySchema: p.KeySchema as unknown as TableDefinition['keySchema'],
      attributeDefinitions: p.AttributeDefinitions as unknown as TableDefinition['attributeDefinitions'],
      globalSecondaryIndexes: secondaryIndexes(p.GlobalSecondaryIndexes),
      localSecondaryIndexes: secondaryIndexes(p.LocalSecondaryIndexes),
      ...ttlOf(p.TimeToLiveSpecification),
    })),
    queues: each('AWS::SQS::Queue', (logicalId, p) => ({
      logicalId,
      name: attribute(logicalId, 'QueueName'),
      url: text(logicalId),
      arn: attribute(logicalId, 'Arn'),
      fifo: p.FifoQueue === true || p.FifoQueue === 'true',
      contentBasedDeduplication: p.ContentBasedDeduplication === true || p.ContentBasedDeduplication === 'true',
      visibilityTimeoutSeconds: numberOr(p.VisibilityTimeout, 30),
      delaySeconds: numberOr(p.DelaySeconds, 0),
      retentionSeconds: numberOr(p.MessageRetentionPeriod, 345_600),
      maxMessageSizeBytes: numberOr(p.MaximumMessageSize, 262_144),
      receiveWaitTimeSeconds: numberOr(p.ReceiveMessageWaitTimeSeconds, 0),
      ...redrivePolicyOf(p.RedrivePolicy),
    })),
    functions: each('AWS::Lambda::Function', (logicalId, p) => {
      const deadLetter = (p.DeadLetterConfig as { TargetArn?: string } | undefined)?.TargetArn;
      const variables = (p.Environment as { Variables?: Record<string, Json> } | undefined)?.Variables ?? {};
      const codeDirectory = codeDirectoryOf(logicalId);
      const logging = (p.LoggingConfig ?? {}) as { LogFormat?: string; ApplicationLogLevel?: string };
      return {
        logicalId,
        name: text(logicalId),
        arn: attribute(logicalId, 'Arn'),
        handler: String(p.Handler ?? 'index.handler'),
        runtime: String(p.Runtime ?? 'nodejs22.x'),
        ...(codeDirectory ? { codeDirectory } : {}),
        environment: Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)])),
        timeoutSeconds: numberOr(p.Timeout, 3),
        memoryMb: numberOr(p.MemorySize, 128),
        ...(p.ReservedConcurrentExecutions !== undefined
          ? { reservedConcurrency: Number(p.ReservedConcurrentExecutions) }
          : {}),
        ...(deadLetter ? { deadLetterTargetArn: deadLetter } : {}),
        ...(logging.LogFormat ? { logFormat: logging.LogFormat } : {}),
        ...(logging.ApplicationLogLevel ? { applicationLogLevel: logging.ApplicationLogLevel } : {}),
      };
    }),
    invokeConfigs: each('AWS::Lambda::EventInvokeConfig', (_logicalId, p) => {
      const destinations = p.DestinationConfig as
        | { OnFailure?: { Destination?: string }; OnSuccess?: { Destination?: string } }
        | undefined;
      return {
        functionName: functionNameOf(String(p.FunctionName)),
        maximumRetryAttempts: numberOr(p.MaximumRetryAttempts, 2),
        maximumEventAgeSeconds: numberOr(p.MaximumEventAgeInSeconds, 21_600),
        ...(destinations?.OnFailure?.Destination ? { onFailure: destinations.OnFailure.Destination } : {}),
        ...(destinations?.OnSuccess?.Destination ? { onSuccess: destinations.OnSuccess.Destination } : {}),
      };
    }),
    eventSourceMappings: each('AWS::Lambda::EventSourceMapping', (logicalId, p) => ({
      logicalId,
      functionName: functionNameOf(String(p.FunctionName)),
      eventSourceArn: String(p.EventSourceArn ?? ''),
      batchSize: numberOr(p.BatchSize, 10),
      batchingWindowSeconds: numberOr(p.MaximumBatchingWindowInSeconds, 0),
      reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes(
        'ReportBatchItemFailures',
      ),
      ...maximumConcurrencyOf(p.ScalingConfig),
      enabled: p.Enabled !== false && p.Enabled !== 'false',
      filterPatterns: ((p.FilterCriteria as { Filters?: Array<{ Pattern?: string }> } | undefined)?.Filters ?? []).map(
        (filter) => JSON.parse(filter.Pattern ?? '{}') as unknown,
      ),
    })),
    buses: each('AWS::Events::EventBus', (logicalId) => ({
      logicalId,
      name: text(logicalId),
      arn: attribute(logicalId, 'Arn'),
    })),
    rules: each('AWS::Events::Rule', (logicalId, p) => {
      const name = text(logicalId);
      return {
        logicalId,
        name: name.includes('|') ? name.slice(name.indexOf('|') + 1) : name,
        arn: attribute(logicalId, 'Arn'),
        busName: typeof p.EventBusName === 'string' ? busNameOf(p.EventBusName) : 'default',
        ...(p.EventPattern !== undefined
          ? { eventPattern: typeof p.EventPattern === 'string' ? JSON.parse(p.EventPattern) : p.EventPattern }
          : {}),
        ...(typeof p.ScheduleExpression === 'string' ? { scheduleExpression: p.ScheduleExpression } : {}),
        enabled: p.State === undefined || p.State === 'ENABLED',
        targets: ((p.Targets as Array<Record<string, Json>> | undefined) ?? []).map(targetOf),
      };
    }),
    httpApis: httpApisOf(template),
    secrets: each('AWS::SecretsManager::Secret', (logicalId, p) => ({
      logicalId,
      name: typeof p.Name === 'string' ? p.Name : secretNameOf(text(logicalId)),
      arn: text(logicalId),
      ...(typeof p.SecretString === 'string' ? { secretString: p.SecretString } : {}),
      ...(p.GenerateSecretString
        ? { generate: generateOptionsOf(p.GenerateSecretString as Record<string, Json>) }
        : {}),
    })),
    scheduleGroups: [
      { name: 'default', arn: `${schedulerArnPrefix(template)}:schedule-group/default` },
      ...each('AWS::Scheduler::ScheduleGroup', (logicalId) => ({
        name: text(logicalId),
        arn: attribute(logicalId, 'Arn'),
      })),
    ],
    schedules: each('AWS::Scheduler::Schedule', (logicalId, p) =>
      scheduleDefinitionOf({ ...p, Name: text(logicalId), Arn: attribute(logicalId, 'Arn') }),
    ),
  };
}

function schedulerArnPrefix(template: StackTemplate): string {
  return `arn:aws:scheduler:${template.naming.region}:${template.naming.account}`;
}

/**
 * A schedule from its CloudFormation properties or a CreateSchedule request (the same names), with `Name` and `Arn`
 * set; dates are ISO strings (template) or epoch seconds (API).
 */
export function scheduleDefinitionOf(p: Record<string, Json>): ScheduleDefinition {
  const target = (p.Target ?? {}) as Record<string, Json>;
  const retry = (target.RetryPolicy ?? {}) as Record<string, Json>;
  const window = (p.FlexibleTimeWindow ?? {}) as Record<string, Json>;
  const deadLetter = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
  const groupId = (target.SqsParameters as { MessageGroupId?: string } | undefined)?.MessageGroupId;
  const date = (value: Json | undefined) =>
    value === undefined || value === null
      ? undefined
      : typeof value === 'number'
        ? value * 1000
        : Date.parse(String(value));
  const startDate = date(p.StartDate);
  const endDate = date(p.EndDate);
  return {
    name: String(p.Name),
    groupName: typeof p.GroupName === 'string' && p.GroupName !== '' ? p.GroupName : 'default',
    arn: String(p.Arn),
    scheduleExpression: String(p.ScheduleExpression ?? ''),
    timezone: typeof p.ScheduleExpressionTimezone === 'string' ? p.ScheduleExpressionTimezone : 'UTC',
    ...(startDate !== undefined ? { startDate } : {}),
    ...(endDate !== undefined ? { endDate } : {}),
    flexibleTimeWindow: {
      mode: window.Mode === 'FLEXIBLE' ? 'FLEXIBLE' : 'OFF',
      ...(window.MaximumWindowInMinutes !== undefined
        ? { maximumWindowInMinutes: Number(window.MaximumWindowInMinutes) }
        : {}),
    },
    target: {
      arn: String(target.Arn ?? ''),
      roleArn: String(target.RoleArn ?? ''),
      ...(typeof target.Input === 'string' ? { input: target.Input } : {}),
      maximumRetryAttempts: numberOr(retry.MaximumRetryAttempts, 185),
      maximumEventAgeSeconds: numberOr(retry.MaximumEventAgeInSeconds, 86_400),
      ...(deadLetter ? { deadLetterArn: deadLetter } : {}),
      ...(groupId ? { messageGroupId: groupId } : {}),
    },
    actionAfterCompletion: p.ActionAfterCompletion === 'DELETE' ? 'DELETE' : 'NONE',
    state: p.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    ...(typeof p.Description === 'string' ? { description: p.Description } : {}),
  };
}

/** `name`, `arn:aws:lambda:region:account:function:name[:qualifier]` or `account:function:name` → `name`. */
export function functionNameOf(nameOrArn: string): string {
  const marker = 'function:';
  const at = nameOrArn.indexOf(marker);
  if (at < 0) return nameOrArn;
  return nameOrArn.slice(at + marker.length).split(':')[0] ?? nameOrArn;
}

/** The function an API Gateway integration or authorizer URI invokes. */
export function functionNameOfInvocationUri(uri: string): string {
  const match = /functions\/(.+?)\/invocations$/.exec(uri);
  return functionNameOf(match ? (match[1] as string) : uri);
}

function secretNameOf(secretArn: string): string {
  const name = secretArn.slice(secretArn.indexOf(':secret:') + ':secret:'.length);
  return name.replace(/-[A-Za-z0-9]{6}$/, '');
}

function numberOr(value: Json | undefined, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const number = Number(value);
  return Number.isFinite(number) ? number : fallback;
}

function secondaryIndexes(value: Json | undefined): SecondaryIndex[] {
  return ((value as unknown as Array<Record<string, Json>> | undefined) ?? []).map((index) => ({
    IndexName: String(index.IndexName),
    KeySchema: index.KeySchema as unknown as SecondaryIndex['KeySchema'],
    Projection: (index.Projection ?? { ProjectionType: 'ALL' }) as SecondaryIndex['Projection'],
  }));
}

function ttlOf(value: Json | undefined): { ttlAttribute?: string } {
  const spec = value as { AttributeName?: string; Enabled?: boolean | string } | undefined;
  return spec?.AttributeName && (spec.Enabled === true || spec.Enabled === 'true')
    ? { ttlAttribute: spec.AttributeName }
    : {};
}

function redrivePolicyOf(value: Json | undefined): Pick<QueueDefinition, 'redrivePolicy'> {
  if (value === undefined || value === null) return {};
  const policy = (typeof value === 'string' ? JSON.parse(value) : value) as {
    deadLetterTargetArn: string;
    maxReceiveCount: number | string;
  };
  return {
    redrivePolicy: { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: Number(policy.maxReceiveCount) },
  };
}

function maximumConcurrencyOf(value: Json | undefined): { maximumConcurrency?: number } {
  const maximum = (value as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency;
  return maximum === undefined ? {} : { maximumConcurrency: Number(maximum) };
}

function targetOf(target: Record<string, Json>): TargetDefinition {
  const retry = (target.RetryPolicy ?? {}) as Record<string, Json>;
  const transformer = target.InputTransformer as { InputPathsMap?: Record<string, string>; InputTemplate: string };
  const deadLetter = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
  const messageGroupId = (target.SqsParameters as { MessageGroupId?: string } | undefined)?.MessageGroupId;
  return {
    id: String(target.Id),
    arn: String(target.Arn),
    ...(typeof target.Input === 'string' ? { input: target.Input } : {}),
    ...(typeof target.InputPath === 'string' ? { inputPath: target.InputPath } : {}),
    ...(transformer
      ? {
          inputTransformer: {
            inputPathsMap: transformer.InputPathsMap ?? {},
            inputTemplate: transformer.InputTemplate,
          },
        }
      : {}),
    maximumRetryAttempts: numberOr(retry.MaximumRetryAttempts, 185),
    maximumEventAgeSeconds: numberOr(retry.MaximumEventAgeInSeconds, 86_400),
    ...(deadLetter ? { deadLetterArn: deadLetter } : {}),
    ...(messageGroupId ? { messageGroupId } : {}),
  };
}

function httpApisOf(template: StackTemplate): HttpApiDefinition[] {
  const ofApi = (type: string, apiId: string) =>
    template
      .resourcesOfType(type)
      .map(([logicalId]) => ({ logicalId, ref: String(template.ref(logicalId)), p: template.propertiesOf(logicalId) }))
      .filter(({ p }) => p.ApiId === apiId);

  return template.resourcesOfType('AWS::ApiGatewayV2::Api').flatMap(([logicalId]) => {
    const p = template.propertiesOf(logicalId);
    if (p.ProtocolType !== 'HTTP') return [];
    const apiId = String(template.ref(logicalId));
    const integrations = new Map(
      ofApi('AWS::ApiGatewayV2::Integration', apiId).map(({ ref, p: integration }) => [
        ref,
        {
          ...(integration.IntegrationType === 'AWS_PROXY' && typeof integration.IntegrationUri === 'string'
            ? { functionName: functionNameOfInvocationUri(integration.IntegrationUri) }
            : {}),
          payloadFormatVersion: integration.PayloadFormatVersion === '1.0' ? '1.0' : '2.0',
          timeoutMs: numberOr(integration.TimeoutInMillis, 30_000),
        } satisfies IntegrationDefinition,
      ]),
    );
    const authorizers = new Map(
      ofApi('AWS::ApiGatewayV2::Authorizer', apiId).map(({ ref, p: authorizer }) => [
        ref,
        {
          id: ref,
          name: String(authorizer.Name ?? ref),
          functionName: functionNameOfInvocationUri(String(authorizer.AuthorizerUri ?? '')),
          payloadFormatVersion: authorizer.AuthorizerPayloadFormatVersion === '1.0' ? '1.0' : '2.0',
          simpleResponses: authorizer.EnableSimpleResponses === true,
          identitySource: (authorizer.IdentitySource as string[] | undefined) ?? [],
          ttlSeconds: numberOr(authorizer.AuthorizerResultTtlInSeconds, 0),
        } satisfies AuthorizerDefinition,
      ]),
    );
    const routes = ofApi('AWS::ApiGatewayV2::Route', apiId).map(({ logicalId: routeId, p: route }) => {
      const integration = integrations.get(String(route.Target ?? '').replace(/^integrations\//, ''));
      const authorizer =
        route.AuthorizationType === 'CUSTOM' ? authorizers.get(String(route.AuthorizerId ?? '')) : undefined;
      return {
        logicalId: routeId,
        routeKey: String(route.RouteKey),
        ...(integration ? { integration } : {}),
        ...(authorizer ? { authorizer } : {}),
      };
    });
    const [stage] = ofApi('AWS::ApiGatewayV2::Stage', apiId);
    return [
      {
        logicalId,
        apiId,
        name: String(p.Name ?? logicalId),
        ...(p.CorsConfiguration ? { cors: corsOf(p.CorsConfiguration as Record<string, Json>) } : {}),
        stage: stageOf(stage?.p),
        routes,
      },
    ];
  });
}

function corsOf(cors: Record<string, Json>): CorsConfiguration {
  const list = (value: Json | undefined) => ((value as string[] | undefined) ?? []).map(String);
  return {
    allowOrigins: list(cors.AllowOrigins),
    allowMethods: list(cors.AllowMethods).map((method) => method.toUpperCase()),
    allowHeaders: list(cors.AllowHeaders).map((header) => header.toLowerCase()),
    exposeHeaders: list(cors.ExposeHeaders).map((header) => header.toLowerCase()),
    ...(cors.MaxAge !== undefined ? { maxAge: Number(cors.MaxAge) } : {}),
    allowCredentials: cors.AllowCredentials === true,
  };
}

function stageOf(stage: Record<string, Json> | undefined): StageDefinition {
  const throttle = (settings: Json | undefined): ThrottleSettings | undefined => {
    const s = settings as Record<string, Json> | undefined;
    // CloudFormation documents these in PascalCase; CDK's escape hatches often write them in camelCase.
    const burst = s?.ThrottlingBurstLimit ?? s?.throttlingBurstLimit;
    const rate = s?.ThrottlingRateLimit ?? s?.throttlingRateLimit;
    if (burst === undefined && rate === undefined) return undefined;
    return {
      ...(burst !== undefined ? { burstLimit: Number(burst) } : {}),
      ...(rate !== undefined ? { rateLimit: Number(rate) } : {}),
    };
  };
  const defaultThrottle = throttle(stage?.DefaultRouteSettings);
  const routeThrottles: Record<string, ThrottleSettings> = {};
  for (const [routeKey, settings] of Object.entries((stage?.RouteSettings ?? {}) as Record<string, Json>)) {
    const routeThrottle = throttle(settings);
    if (routeThrottle) routeThrottles[routeKey] = routeThrottle;
  }
  return {
    name: String(stage?.StageName ?? '$default'),
    ...(defaultThrottle ? { defaultThrottle } : {}),
    routeThrottles,
  };
}

function generateOptionsOf(options: Record<string, Json>): GenerateSecretStringOptions {
  const flag = (value: Json | undefined) => value === true || value === 'true';
  return {
    ...(options.PasswordLength !== undefined ? { passwordLength: Number(options.PasswordLength) } : {}),
    ...(typeof options.ExcludeCharacters === 'string' ? { excludeCharacters: options.ExcludeCharacters } : {}),
    excludeLowercase: flag(options.ExcludeLowercase),
    excludeUppercase: flag(options.ExcludeUppercase),
    excludeNumbers: flag(options.ExcludeNumbers),
    excludePunctuation: flag(options.ExcludePunctuation),
    includeSpace: flag(options.IncludeSpace),
    requireEachIncludedType: options.RequireEachIncludedType === undefined || flag(options.RequireEachIncludedType),
    ...(typeof options.SecretStringTemplate === 'string' ? { secretStringTemplate: options.SecretStringTemplate } : {}),
    ...(typeof options.GenerateStringKey === 'string' ? { generateStringKey: options.GenerateStringKey } : {}),
  };
}
