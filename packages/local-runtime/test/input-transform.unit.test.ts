import { describe, expect, it } from 'vitest';
import type { EventBridgeEvent } from '../src/events/event';
import { fillTemplate, targetInput } from '../src/events/input-transform';
import type { TargetDefinition } from '../src/template/resources/events';

const event: EventBridgeEvent = {
  version: '0',
  id: 'e1',
  'detail-type': 'ItemCreated',
  source: 'app',
  account: '000000000000',
  time: '2030-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: ['r1'],
  detail: { id: 'i1', tags: ['a', 'b'], text: 'say "hi"' },
};
const rule = { name: 'rule', arn: 'arn:aws:events:us-east-1:000000000000:rule/rule' };
const target = (overrides: Partial<TargetDefinition>): TargetDefinition => ({
  id: 't',
  arn: 'arn:aws:sqs:us-east-1:000000000000:q',
  maximumRetryAttempts: 185,
  maximumEventAgeSeconds: 86_400,
  ...overrides,
});
const input = (overrides: Partial<TargetDefinition>) => targetInput(target(overrides), event, rule, new Date(0));

describe('targetInput', () => {
  it('sends the whole event by default, a constant Input, or what InputPath selects', () => {
    expect(JSON.parse(input({}))).toEqual(event);
    expect(input({ input: '{"fixed":true}' })).toBe('{"fixed":true}');
    expect(JSON.parse(input({ inputPath: '$.detail.tags' }))).toEqual(['a', 'b']);
    expect(input({ inputPath: "$['detail']['id']" })).toBe('"i1"');
  });

  it('fills an InputTransformer template, quoting by position', () => {
    const text = input({
      inputTransformer: {
        inputPathsMap: { id: '$.detail.id', tags: '$.detail.tags', text: '$.detail.text', missing: '$.detail.nope' },
        inputTemplate:
          '{"id": <id>, "tags": <tags>, "label": "item <id>: <text>", "rule": <aws.events.rule-name>, "m": <missing>}',
      },
    });
    expect(JSON.parse(text)).toEqual({ id: 'i1', tags: ['a', 'b'], label: 'item i1: say "hi"', rule: 'rule', m: null });
  });
});

describe('fillTemplate', () => {
  it('leaves unknown placeholders and escaped quotes alone', () => {
    expect(fillTemplate('"a \\"<x>\\" <y>"', { x: 'X' })).toBe('"a \\"X\\" <y>"');
  });
});
