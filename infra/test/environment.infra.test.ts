import { aggregatorEnvironment } from '@cxloop/aggregation/environment';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApp } from '../lib/app';
import { CxFunction } from '../lib/function';

/** Variables every CxFunction sets itself, beside those its handler's definition declares. */
const builtIn = new Set(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL']);

function synthesizedEnvironments() {
  const { app, stack } = createApp({ skipBundling: true });
  app.synth();
  const resources = Template.fromStack(stack).toJSON().Resources as Record<
    string,
    { Properties: { Environment?: { Variables?: Record<string, unknown> } } }
  >;
  return stack.node
    .findAll()
    .filter((construct): construct is CxFunction => construct instanceof CxFunction)
    .map((fn) => {
      const logicalId = stack.resolve(stack.getLogicalId(fn.node.defaultChild as CfnFunction)) as string;
      const variables = resources[logicalId]?.Properties.Environment?.Variables ?? {};
      return { path: fn.node.path, definition: fn.environmentDefinition, variables };
    });
}

const anyFunction = { entry: 'services/aggregation/src/handlers/consumer.ts', service: 'test', description: 'test' };

describe('function environments', () => {
  const functions = synthesizedEnvironments();

  it('finds every function of the stack', () => {
    expect(functions.length).toBeGreaterThanOrEqual(28);
  });

  it.each(functions.map((fn) => [fn.path, fn] as const))(
    '%s has every variable its handler declares, and no other',
    (_path, { definition, variables }) => {
      const present = Object.fromEntries(Object.keys(variables).map((name) => [name, 'set']));
      expect(definition.missingFrom(present)).toEqual([]);
      const undeclared = Object.keys(variables).filter((name) => !builtIn.has(name) && !(name in definition.variables));
      expect(undeclared).toEqual([]);
    },
  );

  it('refuses a function whose environment lacks a declared variable or has an undeclared one', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
    const environment = { TABLE_NAME: 'table' };
    expect(
      () =>
        // @ts-expect-error EVENT_BUS_NAME is missing: TypeScript refuses the literal too.
        new CxFunction(stack, 'Missing', { ...anyFunction, reads: aggregatorEnvironment, environment }),
    ).toThrow('Missing (services/aggregation/src/handlers/consumer.ts): EVENT_BUS_NAME is missing');
    const extra = { TABLE_NAME: 'table', EVENT_BUS_NAME: 'bus', TABEL_NAME: 'typo' };
    expect(
      () => new CxFunction(stack, 'Extra', { ...anyFunction, reads: aggregatorEnvironment, environment: extra }),
    ).toThrow('TABEL_NAME is not in its definition');
  });
});
