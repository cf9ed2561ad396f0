import { categorisationAdminRoutes } from '@cxloop/categorisation/routes';
import { PersonErasureRequested } from '@cxloop/events';
import { routeKeys } from '@cxloop/http-contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedStack, synthesizeStack } from '../support/synthesized-stack';

let stack: SynthesizedStack;

beforeAll(() => {
  stack = synthesizeStack();
});

const actionsOf = (functionName: string) => stack.actionsOf(`Categorisation/${functionName}Role`);

describe('the categorisation service in the stack', () => {
  it('puts every one of its routes behind the API-key authorizer', () => {
    const routes = Object.values(stack.resources).filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route');
    const authorized = routes
      .filter((route) => route.Properties.AuthorizationType === 'CUSTOM')
      .map((route) => String(route.Properties.RouteKey));
    expect(authorized).toEqual(expect.arrayContaining(routeKeys(categorisationAdminRoutes)));
  });

  it('never lets the consumer query or scan, and lets nothing scan the table', () => {
    const consumer = actionsOf('Categoriser').filter((action) => action.startsWith('dynamodb:'));
    expect(consumer).toEqual([
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    for (const name of ['AdminApi', 'Worker', 'ErasureConsumer'])
      expect(actionsOf(name)).not.toContain('dynamodb:Scan');
  });

  it('feeds the worker from its job queue, one job per invocation, with a dead-letter queue', () => {
    const [queueId, queue] = stack.resourceAt('Categorisation/JobQueue/Resource', 'AWS::SQS::Queue');
    expect(queue.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    const [workerId] = stack.resourceAt('Categorisation/Worker/Resource', 'AWS::Lambda::Function');
    stack.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: workerId },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    for (const name of ['AdminApi', 'Worker']) expect(actionsOf(name)).toContain('sqs:SendMessage');
  });

  it('routes PersonErasureRequested to the erasure consumer, which finds personal data by Query only', () => {
    const [ruleId, rule] = stack.resourceAt('Categorisation/ErasureRequests/Rule', 'AWS::Events::Rule');
    expect(rule.Properties.EventPattern).toMatchObject({
      source: [PersonErasureRequested.source],
      'detail-type': [PersonErasureRequested.detailType],
    });
    const [queueId] = stack.resourceAt('Categorisation/ErasureRequests/Queue', 'AWS::SQS::Queue');
    expect(JSON.stringify(stack.resources[ruleId]!.Properties.Targets)).toContain(queueId);
    const [functionId] = stack.resourceAt('Categorisation/ErasureConsumer/Resource', 'AWS::Lambda::Function');
    stack.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: functionId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const actions = actionsOf('ErasureConsumer');
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(actions).toContain('events:PutEvents');
  });
});
