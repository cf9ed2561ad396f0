import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { lambdaBundling } from './bundling';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface CxFunctionProps {
  /** Handler source file, relative to the repository root (e.g. `services/collection/src/handlers/admin-api.ts`). */
  readonly entry: string;
  /** The owning service, used as the Powertools service name. */
  readonly service: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** Default 10 s. */
  readonly timeout?: Duration;
  /** Default 256 MB. */
  readonly memorySize?: number;
}

/** Every cxloop Lambda: Node.js 22 on ARM64, ESM bundle by the shared esbuild config, JSON logs, X-Ray, 30-day logs. */
export class CxFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: CxFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
    super(scope, id, {
      entry: `${repoRoot}${props.entry}`,
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 256,
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      bundling: lambdaBundling,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });
  }
}
