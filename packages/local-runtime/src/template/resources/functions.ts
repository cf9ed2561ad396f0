import type { Json } from '../intrinsics';
import { numberOr, type TemplateReader } from './reader';

/** Locates a function's code; undefined when it is not available (inline code, container images). */
export type CodeLocator = (logicalId: string) => string | undefined;

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
  /** LoggingConfig: `JSON` or `Text`, the application log level Lambda passes on, and its own (platform) log level. */
  logFormat?: string;
  applicationLogLevel?: string;
  systemLogLevel?: string;
  /** `arm64` or `x86_64`; undefined: Lambda's default, x86_64. */
  architecture?: string;
  /** TracingConfig.Mode: `Active` or `PassThrough`; undefined: PassThrough. */
  tracing?: string;
  /** The construct path CDK records (`aws:cdk:path`), e.g. `Cxloop/Aggregation/Aggregator/Resource`. */
  constructPath?: string;
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

export const functionsOf = (
  { each, text, attribute, template }: TemplateReader,
  codeDirectoryOf: CodeLocator,
): FunctionDefinition[] =>
  each('AWS::Lambda::Function', (logicalId, p) => {
    const deadLetter = (p.DeadLetterConfig as { TargetArn?: string } | undefined)?.TargetArn;
    const variables = (p.Environment as { Variables?: Record<string, Json> } | undefined)?.Variables ?? {};
    const codeDirectory = codeDirectoryOf(logicalId);
    const logging = (p.LoggingConfig ?? {}) as {
      LogFormat?: string;
      ApplicationLogLevel?: string;
      SystemLogLevel?: string;
    };
    const constructPath = template.resource(logicalId).Metadata?.['aws:cdk:path'];
    const architecture = (p.Architectures as string[] | undefined)?.[0];
    const tracing = (p.TracingConfig as { Mode?: string } | undefined)?.Mode;
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
      ...(logging.SystemLogLevel ? { systemLogLevel: logging.SystemLogLevel } : {}),
      ...(architecture ? { architecture } : {}),
      ...(tracing ? { tracing } : {}),
      ...(typeof constructPath === 'string' ? { constructPath } : {}),
    };
  });

export const invokeConfigsOf = ({ each }: TemplateReader): InvokeConfigDefinition[] =>
  each('AWS::Lambda::EventInvokeConfig', (_logicalId, p) => {
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
  });

export const eventSourceMappingsOf = ({ each }: TemplateReader): EventSourceMappingDefinition[] =>
  each('AWS::Lambda::EventSourceMapping', (logicalId, p) => ({
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
  }));

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

function maximumConcurrencyOf(value: Json | undefined): { maximumConcurrency?: number } {
  const maximum = (value as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency;
  return maximum === undefined ? {} : { maximumConcurrency: Number(maximum) };
}
