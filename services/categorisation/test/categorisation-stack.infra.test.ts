import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../infra/lib/app';
import { categorisationAdminRoutes } from '../src/routes';

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
  const [, policy] = resourceAt(`Categorisation/${functionName}Role/DefaultPolicy`, 'AWS::IAM::Policy');
  const { Statement } = policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] };
  return Statement.flatMap((statement) => [statement.Action].flat()).sort();
}

beforeAll(() => {
  const { app, stack } = createApp({ skipBundling: true });
  app.synth(); // cdk-nag: throws on any unacknowledged finding
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

describe('the categorisation service in the stack', () => {
  it('puts every one of its routes behind the API-key authorizer', () => {
    const routes = Object.values(resources).filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route');
    const authorized = routes
      .filter((route) => route.Properties.AuthorizationType === 'CUSTOM')
      .map((route) => String(route.Properties.RouteKey));
    expect(authorized).toEqual(expect.arrayContaining([...categorisationAdminRoutes]));
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
    for (const name of ['AdminApi', 'Worker']) expect(actionsOf(name)).not.toContain('dynamodb:Scan');
  });

  it('feeds the worker from its job queue, one job per invocation, with a dead-letter queue', () => {
    const [queueId, queue] = resourceAt('Categorisation/JobQueue/Resource', 'AWS::SQS::Queue');
    expect(queue.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    const [workerId] = resourceAt('Categorisation/Worker/Resource', 'AWS::Lambda::Function');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: workerId },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    for (const name of ['AdminApi', 'Worker']) expect(actionsOf(name)).toContain('sqs:SendMessage');
  });
});
