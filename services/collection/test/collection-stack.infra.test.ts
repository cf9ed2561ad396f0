import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../infra/lib/app';
import {
  collectionAdminRoutes,
  collectionPublicRoutes,
  collectionRouteThrottles,
  collectionWebhookRoutes,
} from '../src/routes';

type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

let template: Template;
let resources: Record<string, Resource>;

const pathOf = (resource: Resource) => String(resource.Metadata?.['aws:cdk:path'] ?? '');

function resourceAt(pathFragment: string, type: string): [string, Resource] {
  const match = Object.entries(resources).find(
    ([, resource]) => resource.Type === type && pathOf(resource).includes(pathFragment),
  );
  if (!match) throw new Error(`No ${type} under ${pathFragment}`);
  return match;
}

function actionsOf(functionName: string): string[] {
  const [, policy] = resourceAt(`Collection/${functionName}Role/DefaultPolicy`, 'AWS::IAM::Policy');
  const { Statement } = policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] };
  return Statement.flatMap((statement) => [statement.Action].flat()).sort();
}

beforeAll(() => {
  const { app, stack } = createApp({ skipBundling: true });
  app.synth(); // cdk-nag: throws on any unacknowledged finding
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

describe('the collection service in the stack', () => {
  it('creates exactly its routes: admin ones behind the authorizer, public and webhook ones open', () => {
    const routes = Object.values(resources).filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route');
    const routeKeys = (authorized: boolean) =>
      routes
        .filter((route) => (route.Properties.AuthorizationType === 'CUSTOM') === authorized)
        .map((route) => String(route.Properties.RouteKey));
    expect(routeKeys(false).sort()).toEqual([...collectionPublicRoutes, ...collectionWebhookRoutes].sort());
    expect(routeKeys(true)).toEqual(expect.arrayContaining([...collectionAdminRoutes]));
  });

  it('throttles its public routes on the stage', () => {
    const [, stage] = resourceAt('Http/Api/DefaultStage', 'AWS::ApiGatewayV2::Stage');
    const settings = stage.Properties.RouteSettings as Record<string, unknown>;
    for (const [routeKey, throttle] of Object.entries(collectionRouteThrottles)) {
      expect(settings[routeKey]).toEqual({
        ThrottlingRateLimit: throttle.rateLimit,
        ThrottlingBurstLimit: throttle.burstLimit,
      });
    }
  });

  it('polls pull sources every 15 minutes, without Lambda retrying a failed poll', () => {
    const [, rule] = resourceAt('Collection/PollSchedule', 'AWS::Events::Rule');
    expect(rule.Properties.ScheduleExpression).toBe('rate(15 minutes)');
    const [pollerId] = resourceAt('Collection/Poller/Resource', 'AWS::Lambda::Function');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: pollerId },
      MaximumRetryAttempts: 0,
    });
  });

  it('gives each function only the table actions it uses', () => {
    const tableActions = (name: string) => actionsOf(name).filter((action) => action.startsWith('dynamodb:'));
    expect(tableActions('PublicApi')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(tableActions('WebhookApi')).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(tableActions('Poller')).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(tableActions('AdminApi')).not.toContain('dynamodb:DeleteItem');
  });

  it('lets only the functions that seal or open secrets read the secrets key, and not the authorizer', () => {
    const [secretsKeyId] = resourceAt('Collection/SecretsKey/Resource', 'AWS::SecretsManager::Secret');
    const readers = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy')
      .filter((resource) => JSON.stringify(resource.Properties.PolicyDocument).includes(`"Ref":"${secretsKeyId}"`))
      .map((resource) => pathOf(resource).split('/')[2]);
    expect(readers.sort()).toEqual(['AdminApiRole', 'PollerRole', 'PublicApiRole', 'WebhookApiRole']);
  });

  it('points the admin API at the API endpoint for webhook URLs, and the fetchers at the providers', () => {
    const [, adminApi] = resourceAt('Collection/AdminApi/Resource', 'AWS::Lambda::Function');
    const adminEnvironment = (adminApi.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(adminEnvironment.PUBLIC_API_URL)).toContain('ApiEndpoint');
    const [, poller] = resourceAt('Collection/Poller/Resource', 'AWS::Lambda::Function');
    expect((poller.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      GOOGLE_OAUTH_TOKEN_URL: 'https://oauth2.googleapis.com/token',
      GOOGLE_PLAY_API_URL: 'https://androidpublisher.googleapis.com',
      APP_STORE_CONNECT_API_URL: 'https://api.appstoreconnect.apple.com',
    });
  });
});
