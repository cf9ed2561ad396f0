import { collectionPageRoutes, collectionPublicRoutes, collectionWebhookRoutes } from '@cxloop/collection/routes';
import {
  FeedbackCategorised,
  FeedbackReceived,
  PersonErased,
  PersonErasureRequested,
  RetentionPolicyChanged,
} from '@cxloop/events';
import { unsubscribePageRoutes } from '@cxloop/followup/routes/people';
import { smsLinkRoutes } from '@cxloop/followup/routes/sms';
import { routeKeys } from '@cxloop/http-contracts';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../lib/app';
import { archiveRetentionContextKey, DEFAULT_ARCHIVE_RETENTION_DAYS } from '../lib/stack';
import { pathOf, type SynthesizedStack, synthesizeStack } from './support/synthesized-stack';

let stack: SynthesizedStack;

beforeAll(() => {
  stack = synthesizeStack();
});

describe('the cxloop stack', () => {
  it('gives each service one table of its own, with point-in-time recovery and TTL', () => {
    stack.template.resourceCountIs('AWS::DynamoDB::Table', 4);
    stack.template.allResourcesProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('runs every function on Node.js 22 / ARM64 with JSON logs, and X-Ray tracing only with cxloop:tracing', () => {
    const functions = Object.values(stack.resources).filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        pathOf(resource).match(/Collection|Categorisation|Aggregation|FollowUp/),
    );
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogFormat: 'JSON' },
      });
      expect(fn.Properties.TracingConfig).toBeUndefined();
    }
    const traced = synthesizeStack({ 'cxloop:tracing': true });
    const tracedFunctions = Object.values(traced.resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function' && pathOf(resource).match(/Collection|Categorisation/),
    );
    expect(tracedFunctions.length).toBeGreaterThan(0);
    for (const fn of tracedFunctions) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(() => synthesizeStack({ 'cxloop:tracing': 'yes' })).toThrow('cxloop:tracing must be true or false');
  });

  it.each([
    ['Categorisation', FeedbackReceived, 'Categoriser'],
    ['Aggregation', FeedbackCategorised, 'Aggregator'],
    ['FollowUp/Cases', FeedbackCategorised, 'FeedbackConsumer'],
  ])(
    'routes %s events from the contract to its queue, and the queue to its consumer',
    (service, contract, consumer) => {
      const ruleId = stack.resourceAt(`${service}/Feedback/Rule`, 'AWS::Events::Rule')[0];
      const queueId = stack.resourceAt(`${service}/Feedback/Queue`, 'AWS::SQS::Queue')[0];
      const dlqId = stack.resourceAt(`${service}/Feedback/DeadLetterQueue`, 'AWS::SQS::Queue')[0];
      const rule = stack.resources[ruleId]!.Properties;
      expect(rule.EventPattern).toEqual({
        source: [contract.source],
        'detail-type': [contract.detailType],
        detail: { metadata: { schemaVersion: [contract.version] } },
      });
      expect(rule.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
          RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 185 }),
        }),
      ]);
      expect(stack.resources[queueId]!.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: 5,
      });
      const functionId = stack.resourceAt(`${service}/${consumer}/Resource`, 'AWS::Lambda::Function')[0];
      stack.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: { Ref: functionId },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    },
  );

  it('keeps the event archive 30 days by default, or as long as the context says', () => {
    stack.template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: DEFAULT_ARCHIVE_RETENTION_DAYS });
    const { app, stack: longer } = createApp({ skipBundling: true, context: { [archiveRetentionContextKey]: 90 } });
    app.synth();
    Template.fromStack(longer).hasResourceProperties('AWS::Events::Archive', { RetentionDays: 90 });
    expect(() => createApp({ skipBundling: true, context: { [archiveRetentionContextKey]: 'forever' } })).toThrow(
      /cxloop:archiveRetentionDays/,
    );
  });

  it('brings erasure requests to every service, and every service report to follow-up', () => {
    const rules = Object.values(stack.resources).filter((resource) => resource.Type === 'AWS::Events::Rule');
    const selecting = (contract: { source: string; detailType: string }) =>
      rules
        .filter((rule) => {
          const pattern = (rule.Properties.EventPattern ?? {}) as { $or?: unknown[] } & Record<string, unknown>;
          return [pattern, ...(pattern.$or ?? [])].some(
            (alternative) =>
              JSON.stringify(alternative).includes(`"${contract.source}"`) &&
              JSON.stringify(alternative).includes(`"${contract.detailType}"`),
          );
        })
        .map((rule) => pathOf(rule).split('/')[1]);
    expect(selecting(PersonErasureRequested).sort()).toEqual([
      'Aggregation',
      'Categorisation',
      'Collection',
      'FollowUp',
    ]);
    for (const contract of Object.values(PersonErased)) expect(selecting(contract)).toEqual(['FollowUp']);
    expect(selecting(RetentionPolicyChanged)).toEqual(['FollowUp']);
  });

  it('lets only the producers put events on the bus', () => {
    const putters = Object.entries(stack.resources)
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
      .filter(([, resource]) => JSON.stringify(resource.Properties.PolicyDocument).includes('events:PutEvents'))
      .map(([, resource]) => pathOf(resource).split('/').slice(1, -2).join('/'));
    expect(putters.sort()).toEqual([
      'Aggregation/AggregatorRole',
      'Aggregation/ErasureConsumerRole',
      'Aggregation/SegmentWatchRole',
      'Categorisation/AdminApiRole',
      'Categorisation/CategoriserRole',
      'Categorisation/ErasureConsumerRole',
      'Categorisation/WorkerRole',
      'Collection/AdminApiRole',
      'Collection/DelightedApiRole',
      'Collection/ErasureConsumerRole',
      'Collection/ImportApiRole',
      'Collection/PagesRole',
      'Collection/PollerRole',
      'Collection/PublicApiRole',
      'Collection/WebhookApiRole',
      'FollowUp/Cases/AdminApiRole',
      'FollowUp/Cases/AlertConsumerRole',
      'FollowUp/Cases/FeedbackConsumerRole',
      'FollowUp/Cases/SlaTimerRole',
      'FollowUp/Invitations/PeopleApiRole',
      'FollowUp/Invitations/PrivacyConsumerRole',
      'FollowUp/Outbound/SenderRole',
    ]);
  });

  it('lets the authorizer only read single API-key items and the admin key secret', () => {
    const actions = stack.actionsOf('Collection/AuthorizerRole');
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem']);
    expect(actions.filter((action) => action.startsWith('secretsmanager:'))).toEqual(
      expect.arrayContaining(['secretsmanager:GetSecretValue']),
    );
  });

  it('keeps the metrics API read-only', () => {
    const actions = stack.actionsOf('Aggregation/MetricsApiRole').filter((action) => action.startsWith('dynamodb:'));
    expect(actions.sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
  });

  it('puts admin routes behind the API-key authorizer and leaves only public routes open', () => {
    const routes = Object.values(stack.resources).filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route');
    const open = routes
      .filter((route) => route.Properties.AuthorizationType !== 'CUSTOM')
      .map((route) => route.Properties.RouteKey);
    expect(open.sort()).toEqual(
      routeKeys([
        ...collectionPublicRoutes,
        ...collectionWebhookRoutes,
        ...collectionPageRoutes,
        ...unsubscribePageRoutes,
        ...smsLinkRoutes,
      ]).sort(),
    );
    expect(routes.map((route) => route.Properties.RouteKey)).toEqual(
      expect.arrayContaining(['POST /v1/surveys', 'GET /v1/metrics', 'GET /v1/followups']),
    );
  });

  it('lets API Gateway invoke each API function through one permission scoped to the API, not one per route', () => {
    const apiPermissions = Object.values(stack.resources).filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::Permission' && resource.Properties.Principal === 'apigateway.amazonaws.com',
    );
    const integrations = Object.values(stack.resources).filter(
      (resource) => resource.Type === 'AWS::ApiGatewayV2::Integration',
    );
    // One per integrated function, plus the authorizer's.
    expect(apiPermissions).toHaveLength(integrations.length + 1);
  });

  it('stays well inside CloudFormation’s 500 resources per stack, the nested Operations stack too', () => {
    expect(Object.keys(stack.resources).length).toBeLessThanOrEqual(400);
    expect(Object.keys(stack.operations.resources).length).toBeLessThanOrEqual(400);
  });

  it('throttles the API stage', () => {
    stack.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingBurstLimit: 400, ThrottlingRateLimit: 200 },
    });
  });
});
