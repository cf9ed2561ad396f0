import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../lib/app';

export type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

export interface SynthesizedStack {
  template: Template;
  resources: Record<string, Resource>;
  /** The nested Operations stack (dashboard, alarms, their topic). */
  operations: { template: Template; resources: Record<string, Resource> };
  /**
   * How the Operations stack sees a value of the main stack (`{ 'Fn::GetAtt': [dlqId, 'QueueName'] }`): the `Ref` of
   * the parameter CDK passes it through; throws when the main stack passes no such value.
   */
  inOperations(value: unknown): { Ref: string };
  /** The resource of `type` whose construct path contains `pathFragment`, as [logicalId, resource]. */
  resourceAt(pathFragment: string, type: string): [string, Resource];
  /** The IAM actions granted to the role at `rolePath` (e.g. `Collection/AuthorizerRole`), sorted. */
  actionsOf(rolePath: string): string[];
}

export const pathOf = (resource: Resource) => String(resource.Metadata?.['aws:cdk:path'] ?? '');

/** Synthesizes the app without bundling; cdk-nag runs and throws on any unacknowledged finding. */
export function synthesizeStack(context?: Record<string, unknown>): SynthesizedStack {
  const { app, stack } = createApp({ skipBundling: true, ...(context ? { context } : {}) });
  app.synth();
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const operationsTemplate = Template.fromStack(stack.operations);
  const operations = {
    template: operationsTemplate,
    resources: operationsTemplate.toJSON().Resources as Record<string, Resource>,
  };
  const resourceAt = (pathFragment: string, type: string): [string, Resource] => {
    const match = Object.entries(resources).find(
      ([, resource]) => resource.Type === type && pathOf(resource).includes(pathFragment),
    );
    if (!match) throw new Error(`No ${type} under ${pathFragment}`);
    return match;
  };
  const actionsOf = (rolePath: string) => {
    const [, policy] = resourceAt(`${rolePath}/DefaultPolicy`, 'AWS::IAM::Policy');
    const { Statement } = policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] };
    return Statement.flatMap((statement) => [statement.Action].flat()).sort();
  };
  const [, nested] = resourceAt('Operations.NestedStack', 'AWS::CloudFormation::Stack');
  const passed = Object.entries(nested.Properties.Parameters as Record<string, unknown>);
  const inOperations = (value: unknown) => {
    const parameter = passed.find(([, passedValue]) => JSON.stringify(passedValue) === JSON.stringify(value));
    if (!parameter) throw new Error(`The Operations stack is not passed ${JSON.stringify(value)}`);
    return { Ref: parameter[0] };
  };
  return { template, resources, operations, inOperations, resourceAt, actionsOf };
}
