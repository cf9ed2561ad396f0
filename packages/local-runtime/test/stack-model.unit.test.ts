import { describe, expect, it } from 'vitest';
import { functionNameOf, functionNameOfInvocationUri } from '../src/template/resources/functions';
import { buildStackModel } from '../src/template/stack-model';
import { type CfnTemplate, StackTemplate } from '../src/template/stack-template';

const template: CfnTemplate = {
  Parameters: { Stage: { Type: 'String', Default: 'dev' } },
  Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } },
  Resources: {
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      },
    },
    ProdOnly: { Type: 'AWS::SQS::Queue', Condition: 'IsProd', Properties: {} },
    Dlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'work-dlq' } },
    Work: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        VisibilityTimeout: 60,
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:work-dlq',
          maxReceiveCount: '3',
        }),
      },
    },
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'app-bus' } },
    Reminders: { Type: 'AWS::Scheduler::ScheduleGroup', Properties: { Name: 'reminders' } },
    Nightly: {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        GroupName: { Ref: 'Reminders' },
        ScheduleExpression: 'cron(0 3 * * ? *)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 30 },
        EndDate: '2031-01-01T00:00:00.000Z',
        Target: {
          Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] },
          RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
          Input: 'nightly',
          RetryPolicy: { MaximumRetryAttempts: 3 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
        },
        ActionAfterCompletion: 'DELETE',
      },
    },
    Rule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventBusName: { Ref: 'Bus' },
        EventPattern: { source: ['app'] },
        Targets: [
          {
            Id: 'T',
            Arn: { 'Fn::GetAtt': ['Work', 'Arn'] },
            InputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '{"id": <id>}' },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
          },
        ],
      },
    },
    Role: { Type: 'AWS::IAM::Role', Properties: {} },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Environment: {
          Variables: {
            TABLE: { Ref: 'Table' },
            QUEUE_URL: { Ref: 'Work' },
            API: {
              'Fn::Join': [
                '',
                [
                  'https://',
                  { Ref: 'Api' },
                  '.execute-api.',
                  { Ref: 'AWS::Region' },
                  '.',
                  { Ref: 'AWS::URLSuffix' },
                  '/',
                ],
              ],
            },
            RETRIES: 3,
          },
        },
        ReservedConcurrentExecutions: 2,
      },
    },
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        FunctionName: { Ref: 'Fn' },
        EventSourceArn: { 'Fn::GetAtt': ['Work', 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
        FilterCriteria: { Filters: [{ Pattern: '{"body":{"kind":["a"]}}' }] },
      },
    },
    InvokeConfig: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: 'Fn' },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } },
      },
    },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'api', ProtocolType: 'HTTP' } },
    Stage: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: {
        ApiId: { Ref: 'Api' },
        StageName: '$default',
        DefaultRouteSettings: { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 },
        RouteSettings: { 'GET /a': { throttlingBurstLimit: 1 } },
      },
    },
    Integration: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: {
        ApiId: { Ref: 'Api' },
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] },
        PayloadFormatVersion: '2.0',
      },
    },
    Authorizer: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: { Ref: 'Api' },
        Name: 'auth',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: {
          'Fn::Join': [
            '',
            [
              'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/',
              { 'Fn::GetAtt': ['Fn', 'Arn'] },
              '/invocations',
            ],
          ],
        },
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.Authorization'],
      },
    },
    Route: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: {
        ApiId: { Ref: 'Api' },
        RouteKey: 'GET /a',
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: 'Authorizer' },
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'Integration' }]] },
      },
    },
    Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { GenerateSecretString: { PasswordLength: 20 } } },
  },
  Outputs: {
    ApiUrl: {
      Value: {
        'Fn::Join': ['', ['https://', { Ref: 'Api' }, '.execute-api.', { Ref: 'AWS::Region' }, '.amazonaws.com/']],
      },
    },
    Endpoint: { Value: { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] } },
    Hidden: { Value: 'x', Condition: 'IsProd' },
  },
};

const stack = new StackTemplate(template, {
  stackName: 'App',
  region: 'us-east-1',
  account: '000000000000',
  sqsEndpoint: 'http://127.0.0.1:3000/__aws/sqs',
  apiEndpoint: () => 'http://127.0.0.1:3000',
});
const model = buildStackModel(stack, (logicalId) => `/code/${logicalId}`);

describe('StackTemplate', () => {
  it('names resources as CloudFormation would, with local URLs and fake ARNs', () => {
    expect(stack.ref('Table')).toBe('App-Table');
    expect(stack.getAtt('Table', 'Arn')).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/App-Table');
    expect(stack.ref('Work')).toBe('http://127.0.0.1:3000/__aws/sqs/000000000000/App-Work');
    expect(stack.getAtt('Dlq', 'Arn')).toBe('arn:aws:sqs:us-east-1:000000000000:work-dlq');
    expect(stack.ref('Rule')).toMatch(/^app-bus\|App-Rule$/);
    expect(stack.getAtt('Rule', 'Arn')).toBe('arn:aws:events:us-east-1:000000000000:rule/app-bus/App-Rule');
    expect(stack.getAtt('Role', 'Arn')).toBe('arn:aws:iam::000000000000:role/App-Role');
    expect(stack.ref('Secret')).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:Secret-[a-z0-9]{12}-[a-z0-9]{6}$/,
    );
  });

  it('resolves outputs whose condition holds, pointing API URLs at the local server', () => {
    expect(stack.outputs()).toEqual({ ApiUrl: 'http://127.0.0.1:3000/', Endpoint: 'http://127.0.0.1:3000' });
  });

  it('skips resources whose condition does not hold', () => {
    expect(model.queues.map((queue) => queue.logicalId)).toEqual(['Dlq', 'Work']);
  });
});

describe('buildStackModel', () => {
  it('reads tables with their TTL attribute', () => {
    expect(model.tables).toEqual([
      expect.objectContaining({ name: 'App-Table', ttlAttribute: 'ttl', globalSecondaryIndexes: [] }),
    ]);
  });

  it('reads queues with defaults and a redrive policy given as a JSON string', () => {
    const work = model.queues.find((queue) => queue.logicalId === 'Work');
    expect(work).toMatchObject({
      visibilityTimeoutSeconds: 60,
      retentionSeconds: 345_600,
      redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:work-dlq', maxReceiveCount: 3 },
    });
  });

  it('reads functions with their resolved environment (API URLs made local)', () => {
    expect(model.functions).toEqual([
      expect.objectContaining({
        name: 'App-Fn',
        codeDirectory: '/code/Fn',
        timeoutSeconds: 3,
        memoryMb: 128,
        reservedConcurrency: 2,
        environment: {
          TABLE: 'App-Table',
          QUEUE_URL: 'http://127.0.0.1:3000/__aws/sqs/000000000000/App-Work',
          API: 'http://127.0.0.1:3000/',
          RETRIES: '3',
        },
      }),
    ]);
  });

  it('reads event source mappings, invoke configs and rules with their targets', () => {
    expect(model.eventSourceMappings[0]).toMatchObject({
      functionName: 'App-Fn',
      batchSize: 10,
      reportBatchItemFailures: true,
      maximumConcurrency: 2,
      filterPatterns: [{ body: { kind: ['a'] } }],
    });
    expect(model.invokeConfigs).toEqual([
      {
        functionName: 'App-Fn',
        maximumRetryAttempts: 0,
        maximumEventAgeSeconds: 21_600,
        onFailure: 'arn:aws:sqs:us-east-1:000000000000:work-dlq',
      },
    ]);
    expect(model.rules[0]).toMatchObject({
      name: 'App-Rule',
      busName: 'app-bus',
      eventPattern: { source: ['app'] },
      targets: [
        {
          id: 'T',
          inputTransformer: { inputPathsMap: { id: '$.detail.id' }, inputTemplate: '{"id": <id>}' },
          deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:work-dlq',
          maximumRetryAttempts: 185,
        },
      ],
    });
  });

  it('links HTTP API routes to their integration, authorizer and throttling', () => {
    const [api] = model.httpApis;
    expect(api?.stage).toEqual({
      name: '$default',
      defaultThrottle: { burstLimit: 10, rateLimit: 5 },
      routeThrottles: { 'GET /a': { burstLimit: 1 } },
    });
    expect(api?.routes).toEqual([
      expect.objectContaining({
        routeKey: 'GET /a',
        integration: { functionName: 'App-Fn', payloadFormatVersion: '2.0', timeoutMs: 30_000 },
        authorizer: expect.objectContaining({ functionName: 'App-Fn', simpleResponses: true, ttlSeconds: 0 }),
      }),
    ]);
  });

  it('reads schedule groups (besides the default one) and schedules with their resolved targets', () => {
    expect(model.scheduleGroups.map((group) => group.arn)).toEqual([
      'arn:aws:scheduler:us-east-1:000000000000:schedule-group/default',
      'arn:aws:scheduler:us-east-1:000000000000:schedule-group/reminders',
    ]);
    expect(model.schedules).toEqual([
      {
        name: 'App-Nightly',
        groupName: 'reminders',
        arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/reminders/App-Nightly',
        scheduleExpression: 'cron(0 3 * * ? *)',
        timezone: 'Europe/Berlin',
        endDate: Date.UTC(2031, 0, 1),
        flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 30 },
        target: {
          arn: 'arn:aws:sqs:us-east-1:000000000000:work-dlq',
          roleArn: 'arn:aws:iam::000000000000:role/App-Role',
          input: 'nightly',
          maximumRetryAttempts: 3,
          maximumEventAgeSeconds: 86_400,
          deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:work-dlq',
        },
        actionAfterCompletion: 'DELETE',
        state: 'ENABLED',
      },
    ]);
  });

  it('reads secrets with their generation options', () => {
    expect(model.secrets[0]).toMatchObject({ logicalId: 'Secret', generate: { passwordLength: 20 } });
    expect(model.secrets[0]?.name).toMatch(/^Secret-[a-z0-9]{12}$/);
  });
});

describe('function names', () => {
  it('come from names, ARNs (with qualifiers) and invocation URIs', () => {
    expect(functionNameOf('my-fn')).toBe('my-fn');
    expect(functionNameOf('arn:aws:lambda:us-east-1:1:function:my-fn:live')).toBe('my-fn');
    expect(
      functionNameOfInvocationUri(
        'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:my-fn/invocations',
      ),
    ).toBe('my-fn');
  });
});
