import { CaseResolved } from '@cxloop/events';
import { peopleAdminRoutes, unsubscribePageRoutes } from '@cxloop/followup/routes/people';
import { routeKeys } from '@cxloop/http-contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Resource, type SynthesizedStack, synthesizeStack } from '../../support/synthesized-stack';

let stack: SynthesizedStack;

beforeAll(() => {
  stack = synthesizeStack();
});

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };
const statementsOf = (rolePath: string): Statement[] => {
  const [, policy] = stack.resourceAt(`${rolePath}/DefaultPolicy`, 'AWS::IAM::Policy');
  return (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
};
const variablesOf = (fn: Resource) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

describe('follow-up survey invitations', () => {
  it('routes SES bounces and complaints from the default bus through a queue with a DLQ to SesEvents', () => {
    const [, rule] = stack.resourceAt('FollowUp/Invitations/SesEventsRule', 'AWS::Events::Rule');
    const [queueId, queue] = stack.resourceAt('FollowUp/Invitations/SesEventsQueue/', 'AWS::SQS::Queue');
    const [dlqId] = stack.resourceAt('FollowUp/Invitations/SesEventsDeadLetterQueue/', 'AWS::SQS::Queue');
    expect(rule.Properties.EventBusName).toBeUndefined();
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.ses'],
      'detail-type': ['Email Bounced', 'Email Complaint Received'],
    });
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
      }),
    ]);
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: 5,
    });
    const [functionId] = stack.resourceAt('FollowUp/Invitations/SesEvents/Resource', 'AWS::Lambda::Function');
    stack.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: functionId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(stack.actionsOf('FollowUp/Invitations/SesEventsRole').filter((a) => a.startsWith('dynamodb:'))).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:PutItem',
    ]);
  });

  it('lets Scheduler invoke only InvitationDue, and the schedulers pass only that role, only to Scheduler', () => {
    const [dueId] = stack.resourceAt('FollowUp/Invitations/InvitationDue/Resource', 'AWS::Lambda::Function');
    const [roleId, role] = stack.resourceAt('FollowUp/Invitations/SchedulerRole/Resource', 'AWS::IAM::Role');
    expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    const invoke = statementsOf('FollowUp/Invitations/SchedulerRole').filter(
      (s) => s.Action === 'lambda:InvokeFunction',
    );
    expect(invoke).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [dueId, 'Arn'] } })]);

    for (const creator of ['PeopleApiRole', 'ResurveyConsumerRole']) {
      const statements = statementsOf(`FollowUp/Invitations/${creator}`);
      expect(statements.filter((s) => [s.Action].flat().includes('iam:PassRole'))).toEqual([
        expect.objectContaining({
          Resource: { 'Fn::GetAtt': [roleId, 'Arn'] },
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      ]);
      expect(stack.actionsOf(`FollowUp/Invitations/${creator}`)).toEqual(
        expect.arrayContaining(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']),
      );
    }
    const unsubscribe = stack.actionsOf('FollowUp/Invitations/UnsubscribePageRole');
    expect(unsubscribe).toContain('scheduler:DeleteSchedule');
    expect(unsubscribe).not.toContain('scheduler:CreateSchedule');
    expect(unsubscribe).not.toContain('iam:PassRole');
  });

  it('retries InvitationDue twice, then parks the failure in a DLQ that a redrive sends back to it', () => {
    const [dueId] = stack.resourceAt('FollowUp/Invitations/InvitationDue/Resource', 'AWS::Lambda::Function');
    const [dlqId] = stack.resourceAt('FollowUp/Invitations/ScheduleDeadLetterQueue/', 'AWS::SQS::Queue');
    const [retryId, retry] = stack.resourceAt('FollowUp/Invitations/DueRetryQueue/', 'AWS::SQS::Queue');
    stack.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: dueId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    expect(retry.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: 5,
    });
    stack.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [retryId, 'Arn'] },
      FunctionName: { Ref: dueId },
    });
    expect(dlqId).toMatch(/DeadLetterQueue/);
    stack.operations.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0,
      Dimensions: [{ Name: 'QueueName', Value: stack.inOperations({ 'Fn::GetAtt': [dlqId, 'QueueName'] }) }],
    });
  });

  it('re-surveys resolved cases through its own consumer of the CaseResolved contract', () => {
    const [, rule] = stack.resourceAt('FollowUp/Invitations/Resurvey/Rule', 'AWS::Events::Rule');
    expect(rule.Properties.EventPattern).toEqual({
      source: [CaseResolved.source],
      'detail-type': [CaseResolved.detailType],
      detail: { metadata: { schemaVersion: [CaseResolved.version] } },
    });
  });

  it('serves the admin routes behind the authorizer and the one-click unsubscribe publicly, throttled', () => {
    const routes = Object.values(stack.resources).filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route');
    const authorization = Object.fromEntries(
      routes.map((route) => [route.Properties.RouteKey, route.Properties.AuthorizationType ?? 'NONE']),
    );
    for (const routeKey of routeKeys(peopleAdminRoutes)) expect(authorization[routeKey]).toBe('CUSTOM');
    for (const routeKey of routeKeys(unsubscribePageRoutes)) expect(authorization[routeKey]).toBe('NONE');
    const [, stage] = stack.resourceAt('Http/Api/DefaultStage', 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.RouteSettings).toMatchObject({
      'GET /u/{token}': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      'POST /u/{token}': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });

  it('signs survey links with the shared invitation key, which the hosted pages read too', () => {
    const [keyId] = stack.resourceAt('Cxloop/InvitationKey/Resource', 'AWS::SecretsManager::Secret');
    const readers = [
      'Collection/PagesRole',
      ...['PeopleApi', 'InvitationDue', 'ResurveyConsumer'].map((f) => `FollowUp/Invitations/${f}Role`),
    ];
    for (const reader of readers) {
      expect(statementsOf(reader)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Action: expect.arrayContaining(['secretsmanager:GetSecretValue']),
            Resource: { Ref: keyId },
          }),
        ]),
      );
    }
    for (const path of ['Collection/Pages/Resource', 'FollowUp/Invitations/PeopleApi/Resource']) {
      const [, fn] = stack.resourceAt(path, 'AWS::Lambda::Function');
      expect(variablesOf(fn).INVITATION_KEY_SECRET_ID).toEqual({ Ref: keyId });
    }
    const [, peopleApi] = stack.resourceAt('FollowUp/Invitations/PeopleApi/Resource', 'AWS::Lambda::Function');
    expect(Object.keys(variablesOf(peopleApi))).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'OUTBOUND_QUEUE_URL',
        'PUBLIC_API_URL',
        'SCHEDULE_GROUP_NAME',
        'INVITATION_DUE_FUNCTION_ARN',
        'SCHEDULER_ROLE_ARN',
        'SCHEDULER_DEAD_LETTER_ARN',
      ]),
    );
  });
});
