import { fileURLToPath } from 'node:url';
import type { EnvironmentDefinition, EnvironmentValues, EnvironmentVariables } from '@cxloop/lambda-kit/config';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { bundlingWith, lambdaBundling } from './bundling';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const defaultFunctionTimeout = Duration.seconds(10);

/**
 * CDK context key: `true` turns on X-Ray active tracing for every function. Off by default: X-Ray bills each trace
 * (`npm run bench:cost` counts it), and the logs already follow one answer by `correlationId` and `feedbackId`.
 */
export const tracingContextKey = 'cxloop:tracing';

function tracingOf(scope: Construct): Tracing {
  const value: unknown = scope.node.tryGetContext(tracingContextKey) ?? false;
  if (value !== true && value !== false && value !== 'true' && value !== 'false') {
    throw new Error(`${tracingContextKey} must be true or false`);
  }
  return value === true || value === 'true' ? Tracing.ACTIVE : Tracing.DISABLED;
}

export interface CxFunctionProps<V extends EnvironmentVariables> {
  /** Handler source file, relative to the repository root (e.g. `services/collection/src/handlers/admin-api.ts`). */
  readonly entry: string;
  /** The owning service, used as the Powertools service name. */
  readonly service: string;
  readonly description: string;
  /** What the handler reads at cold start: its definition in the service's `src/environment.ts`. */
  readonly reads: EnvironmentDefinition<V>;
  /** A value for each variable of {@link reads}: TypeScript wants every required one and no unknown one. */
  readonly environment: EnvironmentValues<V>;
  /** Default 10 s. */
  readonly timeout?: Duration;
  /** Default 256 MB. */
  readonly memorySize?: number;
  /** Default none: the function shares the account's unreserved concurrency. */
  readonly reservedConcurrentExecutions?: number;
  /** Modules the handler requires at run time, on first use: built beside `index.mjs` instead of into it. */
  readonly unbundled?: readonly string[];
}

/**
 * Every cxloop Lambda: Node.js 22 on ARM64, an ESM bundle from the shared esbuild config, JSON logs into its own log
 * group (30 days), X-Ray tracing when `cxloop:tracing` is on, and a role of its own that may only write to that log group until grants add more.
 */
export class CxFunction<V extends EnvironmentVariables = EnvironmentVariables> extends NodejsFunction {
  /** The variables the handler reads; `infra/test/environment.infra.test.ts` checks the template supplies them. */
  readonly environmentDefinition: EnvironmentDefinition<V>;

  constructor(scope: Construct, id: string, props: CxFunctionProps<V>) {
    // Spreads escape TypeScript's check of unknown keys, and a required value may still be undefined at run time.
    const problems = [
      ...props.reads.missingFrom(props.environment).map((name) => `${name} is missing`),
      ...Object.keys(props.environment)
        .filter((name) => !(name in props.reads.variables))
        .map((name) => `${name} is not in its definition`),
    ];
    if (problems.length > 0) throw new Error(`${id} (${props.entry}): ${problems.join('; ')}`);
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.service}: ${props.description}`,
    });
    const tracing = tracingOf(scope);
    super(scope, id, {
      entry: `${repoRoot}${props.entry}`,
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout ?? defaultFunctionTimeout,
      memorySize: props.memorySize ?? 256,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      role,
      bundling: props.unbundled ? bundlingWith(props.unbundled) : lambdaBundling,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });
    this.environmentDefinition = props.reads;
    logGroup.grantWrite(role);

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Pinned to nodejs22.x, the runtime the bundles target and the tests run against; upgrades are deliberate',
    });
    if (tracing === Tracing.ACTIVE) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions',
      });
    }
  }
}
