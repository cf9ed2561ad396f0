import {
  BusinessMetrics,
  businessMetricDimension,
  businessMetricsNamespace,
} from '@cxloop/lambda-kit/business-metrics';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../lib/app';
import { alarmEmailContextKey } from '../lib/operations';
import { pathOf, type Resource, type SynthesizedStack, synthesizeStack } from './support/synthesized-stack';

let stack: SynthesizedStack;
let alarms: Resource[];
let topicId: string;

const ofType = (resources: Record<string, Resource>, type: string) =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

beforeAll(() => {
  // cdk-nag's AwsSolutions checks run on the nested stack too, and throw on any finding without an acknowledgement.
  stack = synthesizeStack();
  alarms = ofType(stack.operations.resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm);
  [[topicId]] = ofType(stack.operations.resources, 'AWS::SNS::Topic') as [[string, Resource]];
});

/** Queues that take what others could not process: a queue's redrive target or a function's on-failure destination. */
function deadLetterQueueIds(): string[] {
  const targets = new Set<string>();
  for (const [, queue] of ofType(stack.resources, 'AWS::SQS::Queue')) {
    const redrive = queue.Properties.RedrivePolicy as { deadLetterTargetArn?: { 'Fn::GetAtt': [string] } } | undefined;
    if (redrive?.deadLetterTargetArn) targets.add(redrive.deadLetterTargetArn['Fn::GetAtt'][0]);
  }
  for (const [, config] of ofType(stack.resources, 'AWS::Lambda::EventInvokeConfig')) {
    const destination = (config.Properties.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)
      ?.OnFailure?.Destination as { 'Fn::GetAtt'?: [string] } | undefined;
    const [id] = destination?.['Fn::GetAtt'] ?? [];
    if (id && stack.resources[id]?.Type === 'AWS::SQS::Queue') targets.add(id);
  }
  return [...targets];
}

const workQueueIds = () =>
  ofType(stack.resources, 'AWS::SQS::Queue')
    .filter(([, queue]) => queue.Properties.RedrivePolicy !== undefined)
    .map(([id]) => id);

/** Every cxloop function (not CDK's own BucketDeployment handler). */
const functionIds = () =>
  ofType(stack.resources, 'AWS::Lambda::Function')
    .filter(([, fn]) => /^Cxloop\/(Collection|Categorisation|Aggregation|FollowUp)\//.test(pathOf(fn)))
    .map(([id]) => id);

const alarmsOn = (metricName: string, dimension: unknown) =>
  alarms.filter((alarm) => {
    const text = JSON.stringify(alarm.Properties);
    return text.includes(`"MetricName":"${metricName}"`) && text.includes(JSON.stringify(dimension));
  });

describe('the Operations nested stack', () => {
  it('holds every alarm, so the main stack has none', () => {
    stack.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    stack.template.resourceCountIs('AWS::CloudFormation::Stack', 1);
    expect(alarms.length).toBeGreaterThan(100);
  });

  it('alarms on every dead-letter queue as soon as one message is parked', () => {
    const queues = deadLetterQueueIds();
    expect(queues.length).toBeGreaterThanOrEqual(16);
    for (const queueId of queues) {
      const queueName = stack.inOperations({ 'Fn::GetAtt': [queueId, 'QueueName'] });
      const [alarm, ...others] = alarmsOn('ApproximateNumberOfMessagesVisible', queueName);
      expect(others, queueId).toEqual([]);
      expect(alarm?.Properties, queueId).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Statistic: 'Maximum',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('alarms when a work queue’s oldest message waits too long (15 minutes, an hour where waiting is by design)', () => {
    for (const queueId of workQueueIds()) {
      const queueName = stack.inOperations({ 'Fn::GetAtt': [queueId, 'QueueName'] });
      const [alarm] = alarmsOn('ApproximateAgeOfOldestMessage', queueName);
      const expected = /Outbound|Job|Rebuild/.test(queueId) ? 3600 : 900;
      expect(alarm?.Properties.Threshold, queueId).toBe(expected);
    }
  });

  it('alarms on every function’s error rate and throttles', () => {
    const functions = functionIds();
    expect(functions.length).toBeGreaterThanOrEqual(30);
    for (const functionId of functions) {
      const name = stack.inOperations({ Ref: functionId });
      const [errors] = alarmsOn('Errors', name);
      expect(errors?.Properties, functionId).toMatchObject({
        Threshold: 5,
        Metrics: expect.arrayContaining([expect.objectContaining({ Expression: '100 * errors / invocations' })]),
      });
      expect(alarmsOn('Throttles', name), functionId).toHaveLength(1);
    }
  });

  it('alarms on the API’s 5xx rate, every table’s throttles and every rule’s undelivered events', () => {
    const [apiId] = stack.resourceAt('Http/Api/Resource', 'AWS::ApiGatewayV2::Api');
    expect(alarmsOn('5xx', stack.inOperations({ Ref: apiId }))).toHaveLength(1);
    for (const [tableId] of ofType(stack.resources, 'AWS::DynamoDB::Table')) {
      expect(alarmsOn('WriteThrottleEvents', stack.inOperations({ Ref: tableId })), tableId).toHaveLength(1);
    }
    for (const [ruleId] of ofType(stack.resources, 'AWS::Events::Rule')) {
      expect(alarmsOn('InvocationsFailedToBeSentToDlq', stack.inOperations({ Ref: ruleId })), ruleId).toHaveLength(1);
    }
  });

  it('notifies the alarm topic on ALARM and on OK, with a name and description that say what fired', () => {
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        AlarmActions: [{ Ref: topicId }],
        OKActions: [{ Ref: topicId }],
        AlarmName: expect.stringMatching(/^Cxloop \S+: /),
        AlarmDescription: expect.stringMatching(/\. Runbook: README\.md#runbook$/),
      });
    }
    const outboundDeadLetters = alarms.find((alarm) =>
      String(alarm.Properties.AlarmName).includes('FollowUp/Outbound/DeadLetterQueue'),
    );
    expect(outboundDeadLetters?.Properties.AlarmDescription).toContain('npm run redrive -- FollowUpOutbound');
  });

  it('encrypts the topic with a rotated key CloudWatch may use, and takes only SSL and this account’s alarms', () => {
    const [[keyId, key]] = ofType(stack.operations.resources, 'AWS::KMS::Key') as [[string, Resource]];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(JSON.stringify(key.Properties.KeyPolicy)).toContain('"Service":"cloudwatch.amazonaws.com"');
    stack.operations.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    stack.operations.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
    stack.template.hasOutput('AlarmTopicArn', {});
    stack.template.hasOutput('OperationsDashboardUrl', {
      Value: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('Cxloop-operations$')])] }),
    });
  });

  it('subscribes an e-mail address only when -c cxloop:alarmEmail gives one, and refuses anything else', () => {
    stack.operations.template.resourceCountIs('AWS::SNS::Subscription', 0);
    const { app, stack: withEmail } = createApp({
      skipBundling: true,
      context: { [alarmEmailContextKey]: 'oncall@example.com' },
    });
    app.synth();
    Template.fromStack(withEmail.operations).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: topicId },
    });
    const refused = () => createApp({ skipBundling: true, context: { [alarmEmailContextKey]: 'on-call at example' } });
    expect(refused).toThrow(/cxloop:alarmEmail must be one e-mail address/);
    expect(refused).not.toThrow(/on-call at example/);
  });
});

describe('the CloudWatch dashboard', () => {
  let body: string;

  beforeAll(() => {
    const [[, dashboard]] = ofType(stack.operations.resources, 'AWS::CloudWatch::Dashboard') as [[string, Resource]];
    expect(dashboard.Properties.DashboardName).toBe('Cxloop-operations');
    body = JSON.stringify(dashboard.Properties.DashboardBody);
  });

  const named = (value: unknown) => body.includes(JSON.stringify(stack.inOperations(value)));

  it('graphs the lag of every work queue and the depth of every dead-letter queue', () => {
    for (const queueId of [...workQueueIds(), ...deadLetterQueueIds()]) {
      expect(named({ 'Fn::GetAtt': [queueId, 'QueueName'] }), queueId).toBe(true);
    }
    expect(body).toContain('ApproximateAgeOfOldestMessage');
    expect(body).toContain('ApproximateNumberOfMessagesVisible');
  });

  it('graphs errors, throttles and p95 duration of every function', () => {
    for (const functionId of functionIds()) expect(named({ Ref: functionId }), functionId).toBe(true);
    for (const metric of ['Errors', 'Throttles', 'Duration', 'p95']) expect(body).toContain(`\\"${metric}\\"`);
  });

  it('graphs the API, the tables, the rules and every business metric', () => {
    const [apiId] = stack.resourceAt('Http/Api/Resource', 'AWS::ApiGatewayV2::Api');
    expect(named({ Ref: apiId })).toBe(true);
    for (const [tableId] of ofType(stack.resources, 'AWS::DynamoDB::Table')) expect(named({ Ref: tableId })).toBe(true);
    for (const [ruleId] of ofType(stack.resources, 'AWS::Events::Rule')) expect(named({ Ref: ruleId })).toBe(true);
    expect(body).toContain(`\\"${businessMetricsNamespace}\\",`);
    expect(body).toContain(`\\"${businessMetricDimension}\\"`);
    for (const name of Object.values(BusinessMetrics)) expect(body, name).toContain(`\\"${name}\\"`);
  });
});
