import { smsLinkRoutes } from '@cxloop/followup/routes/sms';
import { routeKeys } from '@cxloop/http-contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { smsOriginationIdentityContextKey } from '../../../lib/services/follow-up/sms';
import { type SynthesizedStack, synthesizeStack } from '../../support/synthesized-stack';

const pool = 'arn:aws:sms-voice:eu-central-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef';
let withSms: SynthesizedStack;
let withoutSms: SynthesizedStack;

beforeAll(() => {
  withSms = synthesizeStack({ [smsOriginationIdentityContextKey]: pool });
  withoutSms = synthesizeStack();
});

const senderPolicy = (stack: SynthesizedStack) =>
  JSON.stringify(stack.resourceAt('FollowUp/Outbound/SenderRole/DefaultPolicy', 'AWS::IAM::Policy')[1]);

describe('follow-up SMS (cdk-nag clean with and without the origination identity)', () => {
  it('lets the sender send texts from the configured origination identity only, and names it in its environment', () => {
    const statements = JSON.parse(senderPolicy(withSms)).Properties.PolicyDocument.Statement as unknown[];
    expect(statements).toContainEqual({ Action: 'sms-voice:SendTextMessage', Effect: 'Allow', Resource: pool });
    expect(withSms.actionsOf('FollowUp/Outbound/SenderRole')).toContain('sms-voice:SendTextMessage');
    const [, sender] = withSms.resourceAt('FollowUp/Outbound/Sender/Resource', 'AWS::Lambda::Function');
    expect(JSON.stringify(sender.Properties.Environment)).toContain(pool);
    expect(senderPolicy(withoutSms)).not.toContain('sms-voice');
    expect(() => synthesizeStack({ [smsOriginationIdentityContextKey]: '+79991234567' })).toThrow(
      /must be the ARN of an End User Messaging SMS phone number, sender id or pool/,
    );
  });

  it('takes replies from a topic End User Messaging may publish to, raw into a queue only that topic may feed', () => {
    const [topicId] = withSms.resourceAt('FollowUp/Sms/RepliesTopic/Resource', 'AWS::SNS::Topic');
    const [queueId] = withSms.resourceAt('FollowUp/Sms/RepliesQueue/Resource', 'AWS::SQS::Queue');
    withSms.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
      RawMessageDelivery: true,
    });
    const topicPolicy = JSON.stringify(
      withSms.resourceAt('FollowUp/Sms/RepliesTopic/Policy', 'AWS::SNS::TopicPolicy')[1],
    );
    expect(topicPolicy).toContain('sms-voice.amazonaws.com');
    const queuePolicy = JSON.stringify(
      withSms.resourceAt('FollowUp/Sms/RepliesQueue/Policy', 'AWS::SQS::QueuePolicy')[1],
    );
    expect(queuePolicy).toContain('sns.amazonaws.com');
    expect(queuePolicy).toContain(topicId);
    const [repliesId] = withSms.resourceAt('FollowUp/Sms/Replies/Resource', 'AWS::Lambda::Function');
    withSms.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: repliesId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('serves the short survey links publicly, reading invitations only', () => {
    for (const key of routeKeys(smsLinkRoutes)) {
      withSms.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'NONE' });
    }
    expect(withSms.actionsOf('FollowUp/Sms/LinksRole')).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'secretsmanager:GetSecretValue']),
    );
    expect(withSms.actionsOf('FollowUp/Sms/LinksRole').filter((action) => action.startsWith('dynamodb:'))).toEqual([
      'dynamodb:GetItem',
    ]);
  });
});
