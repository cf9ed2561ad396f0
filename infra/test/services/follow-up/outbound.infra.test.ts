import { outboundAdminRoutes } from '@cxloop/followup/routes/outbound';
import { routeKeys } from '@cxloop/http-contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { pathOf, type SynthesizedStack, synthesizeStack } from '../../support/synthesized-stack';

let stack: SynthesizedStack;

beforeAll(() => {
  stack = synthesizeStack();
});

describe('follow-up outbound delivery', () => {
  it('parks a job in its dead-letter queue after 8 receives, under a name the redrive script finds', () => {
    const [queueId, queue] = stack.resourceAt('FollowUp/Outbound/Queue/', 'AWS::SQS::Queue');
    const [dlqId] = stack.resourceAt('FollowUp/Outbound/DeadLetterQueue/', 'AWS::SQS::Queue');
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: 8,
    });
    expect(queue.Properties.VisibilityTimeout).toBe(180);
    // infra/scripts/redrive.ts selects queues whose (generated) name contains "DeadLetterQueue".
    expect(dlqId).toMatch(/^FollowUpOutboundDeadLetterQueue/);
    expect(queueId).not.toMatch(/DeadLetterQueue/);
    stack.operations.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0,
      Dimensions: [{ Name: 'QueueName', Value: stack.inOperations({ 'Fn::GetAtt': [dlqId, 'QueueName'] }) }],
    });
  });

  it('feeds the sender batches of 10 with partial batch failures and bounded concurrency', () => {
    const [queueId] = stack.resourceAt('FollowUp/Outbound/Queue/', 'AWS::SQS::Queue');
    const [senderId, sender] = stack.resourceAt('FollowUp/Outbound/Sender/Resource', 'AWS::Lambda::Function');
    stack.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: senderId },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    expect(sender.Properties.Timeout).toBe(30);
    const variables = (sender.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'OUTBOUND_QUEUE_URL',
        'DEAD_LETTER_QUEUE_URL',
        'CHANNEL_SETTINGS_SECRET_ID',
        'UNSUBSCRIBE_KEY_SECRET_ID',
        'SES_CONFIGURATION_SET',
        'EVENT_BUS_NAME',
        'PUBLIC_API_URL',
        'MAX_ATTEMPTS',
      ]),
    );
    expect(variables.MAX_ATTEMPTS).toBe('8');
  });

  it('publishes bounces, complaints, deliveries and rejects of its SES configuration set to the default bus', () => {
    const [configurationSetId] = stack.resourceAt(
      'FollowUp/Outbound/EmailEvents/Resource',
      'AWS::SES::ConfigurationSet',
    );
    const [, destination] = stack.resourceAt(
      'FollowUp/Outbound/EmailEvents/ToDefaultBus',
      'AWS::SES::ConfigurationSetEventDestination',
    );
    expect(destination.Properties.ConfigurationSetName).toEqual({ Ref: configurationSetId });
    const eventDestination = destination.Properties.EventDestination as {
      Enabled: boolean;
      MatchingEventTypes: string[];
      EventBridgeDestination: { EventBusArn: unknown };
    };
    expect(eventDestination.MatchingEventTypes.sort()).toEqual(['bounce', 'complaint', 'delivery', 'reject']);
    expect(JSON.stringify(eventDestination.EventBridgeDestination.EventBusArn)).toContain('event-bus/default');
    const [, sender] = stack.resourceAt('FollowUp/Outbound/Sender/Resource', 'AWS::Lambda::Function');
    const variables = (sender.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.SES_CONFIGURATION_SET).toEqual({ Ref: configurationSetId });
  });

  it('gives the sender only what delivering needs', () => {
    const actions = stack.actionsOf('FollowUp/Outbound/SenderRole');
    // BatchWriteItem: the person-index pointers of a message to a person, written before its log entry.
    expect(actions.filter((action) => action.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(actions).toEqual(
      expect.arrayContaining([
        'ses:SendEmail',
        'events:PutEvents',
        'sqs:ChangeMessageVisibility',
        'sqs:SendMessage',
        'secretsmanager:GetSecretValue',
      ]),
    );
    expect(actions).not.toContain('secretsmanager:PutSecretValue');
  });

  it('serves the channel settings and the message log on admin routes only', () => {
    const [apiFunctionId] = stack.resourceAt('FollowUp/Outbound/MessagesApi/Resource', 'AWS::Lambda::Function');
    const routes = Object.values(stack.resources).filter(
      (resource) =>
        resource.Type === 'AWS::ApiGatewayV2::Route' &&
        (routeKeys(outboundAdminRoutes) as string[]).includes(String(resource.Properties.RouteKey)),
    );
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(routeKeys(outboundAdminRoutes).sort());
    for (const route of routes) expect(route.Properties.AuthorizationType).toBe('CUSTOM');
    const integrations = Object.values(stack.resources).filter(
      (resource) => resource.Type === 'AWS::ApiGatewayV2::Integration' && pathOf(resource).includes('MessagesApi'),
    );
    expect(JSON.stringify(integrations)).toContain(apiFunctionId);
    const actions = stack.actionsOf('FollowUp/Outbound/MessagesApiRole');
    expect(actions).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']));
    expect(actions.filter((action) => action.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
  });
});
