import { FeedbackCategorised, MetricAlertRaised } from '@cxloop/events';
import { caseAdminRoutes } from '@cxloop/followup/routes/cases';
import { routeKeys } from '@cxloop/http-contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Resource, type SynthesizedStack, synthesizeStack } from '../../support/synthesized-stack';

let stack: SynthesizedStack;

beforeAll(() => {
  stack = synthesizeStack();
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const statementsOf = (rolePath: string): Statement[] => {
  const [, policy] = stack.resourceAt(`${rolePath}/DefaultPolicy`, 'AWS::IAM::Policy');
  return (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
};
const environmentOf = (fn: Resource) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

describe('follow-up case management', () => {
  it('routes FeedbackCategorised and MetricAlertRaised through their own queues to their consumers', () => {
    for (const [consumer, contract, fn] of [
      ['Feedback', FeedbackCategorised, 'FeedbackConsumer'],
      ['Alerts', MetricAlertRaised, 'AlertConsumer'],
    ] as const) {
      const [, rule] = stack.resourceAt(`FollowUp/Cases/${consumer}/Rule`, 'AWS::Events::Rule');
      expect(rule.Properties.EventPattern).toMatchObject({ 'detail-type': [contract.detailType] });
      const [queueId] = stack.resourceAt(`FollowUp/Cases/${consumer}/Queue/`, 'AWS::SQS::Queue');
      const [functionId] = stack.resourceAt(`FollowUp/Cases/${fn}/Resource`, 'AWS::Lambda::Function');
      stack.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: { Ref: functionId },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });

  it('gives the SLA timer two async retries and an on-failure queue with an alarm', () => {
    const [timerId] = stack.resourceAt('FollowUp/Cases/SlaTimer/Resource', 'AWS::Lambda::Function');
    const [failuresId] = stack.resourceAt('FollowUp/Cases/SlaTimerFailures/Resource', 'AWS::SQS::Queue');
    stack.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: timerId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failuresId, 'Arn'] } } },
    });
    stack.operations.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0,
      Dimensions: [{ Name: 'QueueName', Value: stack.inOperations({ 'Fn::GetAtt': [failuresId, 'QueueName'] }) }],
    });
  });

  it('lets Scheduler invoke only the SLA timer, as a role only scheduler.amazonaws.com of this account assumes', () => {
    const [, role] = stack.resourceAt('FollowUp/Cases/SchedulerRole/Resource', 'AWS::IAM::Role');
    expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    const [timerId] = stack.resourceAt('FollowUp/Cases/SlaTimer/Resource', 'AWS::Lambda::Function');
    const [failuresId] = stack.resourceAt('FollowUp/Cases/SlaTimerFailures/Resource', 'AWS::SQS::Queue');
    expect(statementsOf('FollowUp/Cases/SchedulerRole')).toEqual([
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [timerId, 'Arn'] } }),
      expect.objectContaining({ Resource: { 'Fn::GetAtt': [failuresId, 'Arn'] } }),
    ]);
  });

  it('lets the consumer and the timer create and delete schedules of the SLA group only, and pass only that role', () => {
    const [, group] = stack.resourceAt('FollowUp/Cases/SlaTimers/Resource', 'AWS::Scheduler::ScheduleGroup');
    const groupName = group.Properties.Name as string;
    const [schedulerRoleId] = stack.resourceAt('FollowUp/Cases/SchedulerRole/Resource', 'AWS::IAM::Role');
    for (const rolePath of ['FollowUp/Cases/FeedbackConsumerRole', 'FollowUp/Cases/SlaTimerRole']) {
      const statements = statementsOf(rolePath);
      const scheduling = statements.find((statement) => [statement.Action].flat().includes('scheduler:CreateSchedule'));
      expect([scheduling?.Action].flat().sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
      expect(JSON.stringify(scheduling?.Resource)).toContain(`:schedule/${groupName}/*`);
      const passRole = statements.find((statement) => statement.Action === 'iam:PassRole');
      expect(passRole?.Resource).toEqual({ 'Fn::GetAtt': [schedulerRoleId, 'Arn'] });
    }
    const admin = statementsOf('FollowUp/Cases/AdminApiRole');
    expect(
      admin.flatMap((statement) => [statement.Action].flat()).filter((action) => action.startsWith('scheduler:')),
    ).toEqual(['scheduler:DeleteSchedule']);
    expect(admin.some((statement) => statement.Action === 'iam:PassRole')).toBe(false);
  });

  it('gives the functions what they need to arm timers, enqueue messages and link to cases', () => {
    const [timerId] = stack.resourceAt('FollowUp/Cases/SlaTimer/Resource', 'AWS::Lambda::Function');
    const [, consumer] = stack.resourceAt('FollowUp/Cases/FeedbackConsumer/Resource', 'AWS::Lambda::Function');
    expect(environmentOf(consumer)).toMatchObject({ SLA_TIMER_ARN: { 'Fn::GetAtt': [timerId, 'Arn'] } });
    expect(Object.keys(environmentOf(consumer))).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'EVENT_BUS_NAME',
        'OUTBOUND_QUEUE_URL',
        'PUBLIC_API_URL',
        'SLA_SCHEDULE_GROUP',
        'SLA_SCHEDULER_ROLE_ARN',
        'SLA_DEAD_LETTER_ARN',
      ]),
    );
    const [, timer] = stack.resourceAt('FollowUp/Cases/SlaTimer/Resource', 'AWS::Lambda::Function');
    expect(Object.keys(environmentOf(timer))).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'EVENT_BUS_NAME',
        'OUTBOUND_QUEUE_URL',
        'PUBLIC_API_URL',
        'SLA_SCHEDULE_GROUP',
      ]),
    );
    // The alert consumer opens outreach cases: it arms their timers like the feedback consumer, and deletes nothing.
    const [, alerts] = stack.resourceAt('FollowUp/Cases/AlertConsumer/Resource', 'AWS::Lambda::Function');
    expect(environmentOf(alerts)).toMatchObject({ SLA_TIMER_ARN: { 'Fn::GetAtt': [timerId, 'Arn'] } });
    expect(
      stack
        .actionsOf('FollowUp/Cases/AlertConsumerRole')
        .filter((action) => action.startsWith('dynamodb:'))
        .sort(),
    ).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(stack.actionsOf('FollowUp/Cases/AlertConsumerRole')).toEqual(
      expect.arrayContaining(['scheduler:CreateSchedule', 'events:PutEvents']),
    );
  });

  it('serves every cases-area route behind the API-key authorizer', () => {
    const routes = Object.values(stack.resources).filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route');
    for (const routeKey of routeKeys(caseAdminRoutes)) {
      const route = routes.find((candidate) => candidate.Properties.RouteKey === routeKey);
      expect(route, routeKey).toBeDefined();
      expect(route?.Properties.AuthorizationType).toBe('CUSTOM');
    }
  });
});
