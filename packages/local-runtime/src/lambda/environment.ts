import { awsServicePaths, callerServicePath } from '../aws-api/service-paths';
import { localCredentials } from '../local-credentials';
import { dynamoDbCallerPath } from '../metering/dynamodb-proxy';
import type { FunctionDefinition } from '../template/resources/functions';

/** Where a function's AWS SDK clients find the local services. */
export interface LocalEndpoints {
  /** DynamoDB (the runtime's metering proxy in front of DynamoDB Local). */
  dynamodb: string;
  /** Base URL of the runtime's AWS APIs; each service lives under its own path (`/__aws/sqs`, ...). */
  aws: string;
  region: string;
}

/**
 * A function's `process.env` as Lambda builds it — reserved variables first, then the function's own — plus the
 * `AWS_ENDPOINT_URL_<SERVICE>` variables that send its unchanged SDK clients to the local services (on paths that
 * name the function, so each call is metered as its own), and
 * `CXLOOP_OUTBOUND_LOOPBACK_HTTP=allow`, which lets outbound calls reach local listeners on `http://127.0.0.1:…`.
 */
export function lambdaEnvironment(
  definition: FunctionDefinition,
  endpoints: LocalEndpoints,
  nodePath: string,
): Record<string, string> {
  const service = (path: string) => `${endpoints.aws}${callerServicePath(path, definition.name)}`;
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    NODE_PATH: nodePath,
    AWS_REGION: endpoints.region,
    AWS_DEFAULT_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_SESSION_TOKEN: localCredentials.sessionToken,
    AWS_EXECUTION_ENV: `AWS_Lambda_${definition.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: definition.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${definition.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${definition.logicalId}`,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    LAMBDA_TASK_ROOT: definition.codeDirectory ?? '',
    _HANDLER: definition.handler,
    ...(definition.logFormat ? { AWS_LAMBDA_LOG_FORMAT: definition.logFormat } : {}),
    ...(definition.applicationLogLevel ? { AWS_LAMBDA_LOG_LEVEL: definition.applicationLogLevel } : {}),
    // Lambda runs the function on its declared Node.js version; the SDK's warning about an older host is noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...definition.environment,
    AWS_ENDPOINT_URL_DYNAMODB: `${endpoints.dynamodb}${dynamoDbCallerPath(definition.name)}`,
    AWS_ENDPOINT_URL_SQS: service(awsServicePaths.sqs),
    AWS_ENDPOINT_URL_EVENTBRIDGE: service(awsServicePaths.events),
    AWS_ENDPOINT_URL_SECRETS_MANAGER: service(awsServicePaths.secretsmanager),
    AWS_ENDPOINT_URL_SCHEDULER: service(awsServicePaths.scheduler),
    AWS_ENDPOINT_URL_SESV2: service(awsServicePaths.sesv2),
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: service(awsServicePaths.smsVoice),
    CXLOOP_OUTBOUND_LOOPBACK_HTTP: 'allow',
  };
}
