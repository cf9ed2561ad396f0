import {
  collectionAdminRoutes,
  collectionPageRoutes,
  collectionPublicRoutes,
  collectionWebhookRoutes,
} from '@cxloop/collection/routes';
import { PersonErasureRequested } from '@cxloop/events';
import { routeKeys as keysOf } from '@cxloop/http-contracts';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/app';
import { defaultReservedConcurrency, reservedConcurrencyContextKeys } from '../../lib/services/collection';
import { pathOf, type SynthesizedStack, synthesizeStack } from '../support/synthesized-stack';

let stack: SynthesizedStack;

beforeAll(() => {
  stack = synthesizeStack();
});

const actionsOf = (functionName: string) => stack.actionsOf(`Collection/${functionName}Role`);

describe('the collection service in the stack', () => {
  it('creates exactly its routes: admin ones behind the authorizer, public, page and webhook ones open', () => {
    const routes = Object.values(stack.resources).filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route');
    const routeKeys = (authorized: boolean) =>
      routes
        .filter((route) => (route.Properties.AuthorizationType === 'CUSTOM') === authorized)
        .map((route) => String(route.Properties.RouteKey));
    // The whole stack's open routes are checked in infra/test/stack.infra.test.ts; here, collection's own.
    const open = routeKeys(false);
    expect(open).toEqual(
      expect.arrayContaining(keysOf([...collectionPublicRoutes, ...collectionWebhookRoutes, ...collectionPageRoutes])),
    );
    expect(open.filter((key) => (keysOf(collectionAdminRoutes) as string[]).includes(key))).toEqual([]);
    expect(routeKeys(true)).toEqual(expect.arrayContaining(keysOf(collectionAdminRoutes)));
  });

  it('throttles its public routes on the stage', () => {
    const [, stage] = stack.resourceAt('Http/Api/DefaultStage', 'AWS::ApiGatewayV2::Stage');
    const settings = stage.Properties.RouteSettings as Record<string, unknown>;
    const throttled = [...collectionPublicRoutes, ...collectionWebhookRoutes, ...collectionPageRoutes].flatMap(
      (route) => ('throttle' in route && route.throttle ? [[route.key, route.throttle] as const] : []),
    );
    expect(throttled.map(([routeKey]) => routeKey)).toEqual([
      'POST /v1/surveys/{surveyId}/responses',
      'POST /v1/surveys/{surveyId}/asks',
      'POST /v1/webhooks/{provider}/{integrationId}',
      'POST /s/{surveyId}',
    ]);
    for (const [routeKey, throttle] of throttled) {
      expect(settings[routeKey]).toEqual({
        ThrottlingRateLimit: throttle.rateLimit,
        ThrottlingBurstLimit: throttle.burstLimit,
      });
    }
  });

  it('polls pull sources every 15 minutes, without Lambda retrying a failed poll', () => {
    const [, rule] = stack.resourceAt('Collection/PollSchedule', 'AWS::Events::Rule');
    expect(rule.Properties.ScheduleExpression).toBe('rate(15 minutes)');
    const [pollerId] = stack.resourceAt('Collection/Poller/Resource', 'AWS::Lambda::Function');
    stack.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: pollerId },
      MaximumRetryAttempts: 0,
    });
  });

  it('gives each function only the table actions it uses', () => {
    const tableActions = (name: string) => actionsOf(name).filter((action) => action.startsWith('dynamodb:'));
    const writesResponses = ['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
    expect(tableActions('PublicApi')).toEqual(writesResponses);
    expect(tableActions('Pages')).toEqual(writesResponses);
    const writesFeedback = [
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ];
    expect(tableActions('WebhookApi')).toEqual(writesFeedback);
    expect(tableActions('Poller')).toEqual(writesFeedback);
    expect(tableActions('AdminApi')).not.toContain('dynamodb:DeleteItem');
    expect(tableActions('ErasureConsumer')).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
  });

  it('erases through a queue of PersonErasureRequested with its dead-letter queue, and reports on the bus', () => {
    const [ruleId, rule] = stack.resourceAt('Collection/ErasureRequests/Rule', 'AWS::Events::Rule');
    expect(ruleId).toBeTruthy();
    expect(rule.Properties.EventPattern).toEqual({
      source: [PersonErasureRequested.source],
      'detail-type': [PersonErasureRequested.detailType],
      detail: { metadata: { schemaVersion: [PersonErasureRequested.version] } },
    });
    const [queueId, queue] = stack.resourceAt('Collection/ErasureRequests/Queue', 'AWS::SQS::Queue');
    const [dlqId] = stack.resourceAt('Collection/ErasureRequests/DeadLetterQueue', 'AWS::SQS::Queue');
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: 5,
    });
    const [functionId] = stack.resourceAt('Collection/ErasureConsumer/Resource', 'AWS::Lambda::Function');
    stack.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: functionId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(actionsOf('ErasureConsumer')).toContain('events:PutEvents');
    expect(actionsOf('AdminApi')).toContain('events:PutEvents');
  });

  it('lets only the functions that seal or open secrets read the secrets key, and not the authorizer', () => {
    const [secretsKeyId] = stack.resourceAt('Collection/SecretsKey/Resource', 'AWS::SecretsManager::Secret');
    const readers = Object.values(stack.resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy')
      .filter((resource) => JSON.stringify(resource.Properties.PolicyDocument).includes(`"Ref":"${secretsKeyId}"`))
      .map((resource) => pathOf(resource).split('/')[2]);
    expect(readers.sort()).toEqual(['AdminApiRole', 'PagesRole', 'PollerRole', 'PublicApiRole', 'WebhookApiRole']);
  });

  it('points the admin API at the API endpoint for webhook URLs, and the fetchers at the providers', () => {
    const [, adminApi] = stack.resourceAt('Collection/AdminApi/Resource', 'AWS::Lambda::Function');
    const adminEnvironment = (adminApi.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(adminEnvironment.PUBLIC_API_URL)).toContain('ApiEndpoint');
    const [, poller] = stack.resourceAt('Collection/Poller/Resource', 'AWS::Lambda::Function');
    expect((poller.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      GOOGLE_OAUTH_TOKEN_URL: 'https://oauth2.googleapis.com/token',
      GOOGLE_PLAY_API_URL: 'https://androidpublisher.googleapis.com',
      APP_STORE_CONNECT_API_URL: 'https://api.appstoreconnect.apple.com',
    });
    const [, webhookApi] = stack.resourceAt('Collection/WebhookApi/Resource', 'AWS::Lambda::Function');
    expect((webhookApi.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      GOOGLE_OIDC_CERTS_URL: 'https://www.googleapis.com/oauth2/v3/certs',
    });
  });

  const reservedConcurrencyOf = (resources: SynthesizedStack['resources'], name: string) =>
    Object.values(resources).find(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' && pathOf(resource).includes(`Collection/${name}/Resource`),
    )?.Properties.ReservedConcurrentExecutions;

  it('reserves modest concurrency for the functions the internet calls, and none for the others', () => {
    expect(defaultReservedConcurrency).toEqual({ publicApi: 50, pages: 20, webhookApi: 20, importApi: 2 });
    expect(reservedConcurrencyOf(stack.resources, 'PublicApi')).toBe(50);
    expect(reservedConcurrencyOf(stack.resources, 'Pages')).toBe(20);
    expect(reservedConcurrencyOf(stack.resources, 'WebhookApi')).toBe(20);
    expect(reservedConcurrencyOf(stack.resources, 'ImportApi')).toBe(2);
    for (const name of ['AdminApi', 'Authorizer', 'Poller']) {
      expect(reservedConcurrencyOf(stack.resources, name)).toBeUndefined();
    }
  });

  it('takes the reserved concurrency from CDK context, or none with false', () => {
    const { app, stack: overridden } = createApp({
      skipBundling: true,
      validateResources: false,
      context: { [reservedConcurrencyContextKeys.publicApi]: 200, [reservedConcurrencyContextKeys.pages]: false },
    });
    app.synth();
    const resources = Template.fromStack(overridden).toJSON().Resources as SynthesizedStack['resources'];
    expect(reservedConcurrencyOf(resources, 'PublicApi')).toBe(200);
    expect(reservedConcurrencyOf(resources, 'Pages')).toBeUndefined();
    expect(reservedConcurrencyOf(resources, 'WebhookApi')).toBe(20);
    expect(() =>
      createApp({ skipBundling: true, context: { [reservedConcurrencyContextKeys.webhookApi]: 0 } }),
    ).toThrow(/cxloop:collection:webhookConcurrency must be a whole number/);
  });
});
