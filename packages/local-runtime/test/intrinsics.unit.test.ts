import { describe, expect, it } from 'vitest';
import { evaluateCondition, type IntrinsicHooks, resolveIntrinsics } from '../src/template/intrinsics';

const hooks: IntrinsicHooks = {
  ref: (name) => ({ 'AWS::Region': 'eu-west-1', Table: 'items-table', Env: 'prod' })[name] ?? `ref:${name}`,
  getAtt: (logicalId, attribute) => `${logicalId}.${attribute}`,
  condition: (name) => name === 'IsProd',
  mappings: { Sizes: { prod: { memory: 1024 } } },
  region: 'eu-west-1',
};
const resolve = (value: unknown) => resolveIntrinsics(value, hooks);

describe('resolveIntrinsics', () => {
  it('resolves Ref and both forms of Fn::GetAtt', () => {
    expect(resolve({ Ref: 'Table' })).toBe('items-table');
    expect(resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe('Queue.Arn');
    expect(resolve({ 'Fn::GetAtt': 'Queue.QueueUrl' })).toBe('Queue.QueueUrl');
  });

  it('joins, selects and splits', () => {
    expect(resolve({ 'Fn::Join': ['-', ['a', { Ref: 'Env' }, 3]] })).toBe('a-prod-3');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] })).toBe('b');
    expect(() => resolve({ 'Fn::Select': [5, ['a']] })).toThrow(/out of range/);
  });

  it('substitutes references, attributes, variables and literals in Fn::Sub', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an Fn::Sub template
    const template = 'arn:${AWS::Region}:${Table}:${Queue.Arn}:${!Literal}';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub turns ${!Literal} into ${Literal}
    const expected = 'arn:eu-west-1:items-table:Queue.Arn:${Literal}';
    expect(resolve({ 'Fn::Sub': template })).toBe(expected);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an Fn::Sub template
    const withVariables = '${Name}-${Env}';
    expect(resolve({ 'Fn::Sub': [withVariables, { Name: { Ref: 'Table' } }] })).toBe('items-table-prod');
  });

  it('evaluates Fn::If and drops AWS::NoValue from objects and lists', () => {
    const value = resolve({
      Memory: { 'Fn::If': ['IsProd', 1024, 128] },
      Tracing: { 'Fn::If': ['IsDev', 'Active', { Ref: 'AWS::NoValue' }] },
      List: ['a', { 'Fn::If': ['IsDev', 'b', { Ref: 'AWS::NoValue' }] }],
    });
    expect(value).toEqual({ Memory: 1024, List: ['a'] });
  });

  it('evaluates condition bodies', () => {
    expect(evaluateCondition({ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, hooks)).toBe(true);
    expect(
      evaluateCondition({ 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Not': [{ Condition: 'IsDev' }] }] }, hooks),
    ).toBe(true);
    expect(evaluateCondition({ 'Fn::Or': [{ Condition: 'IsDev' }, false] }, hooks)).toBe(false);
  });

  it('reads mappings, encodes base64 and lists availability zones', () => {
    expect(resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'memory'] })).toBe(1024);
    expect(resolve({ 'Fn::Base64': 'hi' })).toBe('aGk=');
    expect(resolve({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] })).toBe('eu-west-1a');
  });

  it('names the unsupported intrinsic and where it is', () => {
    expect(() => resolve({ Props: { Value: { 'Fn::ImportValue': 'x' } } })).toThrow(
      '$.Props.Value.Fn::ImportValue: Fn::ImportValue is not supported by the local runtime',
    );
  });

  it('leaves objects that merely contain intrinsic-looking keys alongside others', () => {
    expect(resolve({ Ref: 'Table', Other: 1 })).toEqual({ Ref: 'Table', Other: 1 });
  });
});
