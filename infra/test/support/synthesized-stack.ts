import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../lib/app';

export type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

export interface SynthesizedStack {
  template: Template;
  resources: Record<string, Resource>;
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
  return { template, resources, resourceAt, actionsOf };
}
