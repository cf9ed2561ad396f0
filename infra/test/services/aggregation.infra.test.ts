import { PersonErasureRequested } from '@cxloop/events';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedStack, synthesizeStack } from '../support/synthesized-stack';

let stack: SynthesizedStack;

beforeAll(() => {
  stack = synthesizeStack();
});

describe('the aggregation service in the stack', () => {
  it('routes PersonErasureRequested to the erasure consumer, which can only find, anonymise and report', () => {
    const [ruleId, rule] = stack.resourceAt('Aggregation/ErasureRequests/Rule', 'AWS::Events::Rule');
    expect(rule.Properties.EventPattern).toMatchObject({
      source: [PersonErasureRequested.source],
      'detail-type': [PersonErasureRequested.detailType],
    });
    const [queueId] = stack.resourceAt('Aggregation/ErasureRequests/Queue', 'AWS::SQS::Queue');
    expect(JSON.stringify(stack.resources[ruleId]!.Properties.Targets)).toContain(queueId);
    const [functionId] = stack.resourceAt('Aggregation/ErasureConsumer/Resource', 'AWS::Lambda::Function');
    stack.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: functionId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const actions = stack.actionsOf('Aggregation/ErasureConsumerRole');
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(actions).toContain('events:PutEvents');
  });
});
