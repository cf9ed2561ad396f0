import { describe, expect, it } from 'vitest';
import { buildStackModel } from '../src/template/stack-model';
import { type CfnTemplate, StackTemplate } from '../src/template/stack-template';

/**
 * The shape of cxloop's main template since its alarms and dashboard moved to a nested Operations stack: CDK passes
 * the nested stack its references as parameters of an AWS::CloudFormation::Stack resource, whose template is an
 * asset in the bootstrap bucket. Nothing in it is emulated (alarms, dashboards, SNS e-mail), so the runtime skips it.
 */
const template: CfnTemplate = {
  Parameters: {
    BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
  },
  Resources: {
    DeadLetters: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
    Work: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['DeadLetters', 'Arn'] }, maxReceiveCount: 5 },
      },
    },
    OperationsNestedStackResource: {
      Type: 'AWS::CloudFormation::Stack',
      Properties: {
        Parameters: {
          referencetoAppDeadLettersQueueName: { 'Fn::GetAtt': ['DeadLetters', 'QueueName'] },
          referencetoAppWorkQueueName: { 'Fn::GetAtt': ['Work', 'QueueName'] },
        },
        TemplateURL: {
          'Fn::Join': [
            '',
            [
              'https://s3.',
              { Ref: 'AWS::Region' },
              '.',
              { Ref: 'AWS::URLSuffix' },
              '/cdk-hnb659fds-assets-',
              { Ref: 'AWS::AccountId' },
              '-',
              { Ref: 'AWS::Region' },
              '/0123abcd.json',
            ],
          ],
        },
      },
      Metadata: { 'aws:asset:path': 'AppOperations0123ABCD.nested.template.json', 'aws:asset:property': 'TemplateURL' },
    },
  },
  Outputs: {
    OperationsDashboardUrl: {
      Value: {
        'Fn::Join': [
          '',
          [
            'https://console.aws.amazon.com/cloudwatch/home?region=',
            { Ref: 'AWS::Region' },
            '#dashboards/dashboard/App-operations',
          ],
        ],
      },
    },
    AlarmTopicArn: {
      Value: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':sns:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':App-alarms',
          ],
        ],
      },
    },
  },
};

const stack = new StackTemplate(template, {
  stackName: 'App',
  region: 'us-east-1',
  account: '000000000000',
  sqsEndpoint: 'http://127.0.0.1:3000/__aws/sqs',
  apiEndpoint: () => 'http://127.0.0.1:3000',
});

describe('a template with a nested stack', () => {
  it('runs the parent’s resources and leaves the nested stack and its parameters alone', () => {
    const model = buildStackModel(stack, () => undefined);
    expect(model.queues.map((queue) => queue.logicalId).sort()).toEqual(['DeadLetters', 'Work']);
    expect(model.topics).toEqual([]);
    expect(model.functions).toEqual([]);
  });

  it('resolves outputs that name what the nested stack creates without reading its outputs', () => {
    expect(stack.outputs()).toEqual({
      OperationsDashboardUrl:
        'https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/App-operations',
      AlarmTopicArn: 'arn:aws:sns:us-east-1:000000000000:App-alarms',
    });
  });
});
