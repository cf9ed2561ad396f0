import { describe, expect, it } from 'vitest';
import { lambdaEnvironment } from '../src/lambda/environment';
import type { FunctionDefinition } from '../src/template/resources/functions';

const definition: FunctionDefinition = {
  logicalId: 'Fn',
  name: 'App-Fn',
  arn: 'arn:aws:lambda:eu-west-1:000000000000:function:App-Fn',
  handler: 'index.handler',
  runtime: 'nodejs22.x',
  codeDirectory: '/assets/fn',
  environment: { TABLE_NAME: 'items' },
  timeoutSeconds: 10,
  memoryMb: 256,
  logFormat: 'JSON',
  applicationLogLevel: 'DEBUG',
};

describe('lambdaEnvironment', () => {
  const env = lambdaEnvironment(
    definition,
    { dynamodb: 'http://127.0.0.1:8000', aws: 'http://127.0.0.1:3000', region: 'eu-west-1' },
    '/repo/node_modules',
  );

  it("sets Lambda's reserved variables and the function's own", () => {
    expect(env).toMatchObject({
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'App-Fn',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_LAMBDA_LOG_LEVEL: 'DEBUG',
      LAMBDA_TASK_ROOT: '/assets/fn',
      _HANDLER: 'index.handler',
      NODE_PATH: '/repo/node_modules',
      TABLE_NAME: 'items',
    });
    expect(env.AWS_ACCESS_KEY_ID).toBeTruthy();
  });

  it('points every SDK client at the local services, on paths that name the calling function (for the meter)', () => {
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000/fn/App-Fn',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:3000/__aws/fn/App-Fn/sqs',
      AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:3000/__aws/fn/App-Fn/events',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:3000/__aws/fn/App-Fn/secretsmanager',
      AWS_ENDPOINT_URL_SCHEDULER: 'http://127.0.0.1:3000/__aws/fn/App-Fn/scheduler',
      AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:3000/__aws/fn/App-Fn/sesv2',
    });
  });

  it('lets outbound calls reach plain-HTTP listeners on loopback, which Lambda never allows', () => {
    expect(env.CXLOOP_OUTBOUND_LOOPBACK_HTTP).toBe('allow');
  });
});
