import { describe, expect, it } from 'vitest';
import { FaultInjector, parseFaultSpecs } from '../src/lambda/faults';
import { generateSecretString } from '../src/secrets/generate-secret';

const fn = { logicalId: 'ConsumerABC123', name: 'Stack-ConsumerABC123' };

describe('FaultInjector', () => {
  const event = { Records: [{ body: '{"id":"poison-1"}' }] };

  it('fails the next N invocations of matching functions, then stops', () => {
    const faults = new FaultInjector();
    faults.inject({ function: 'Consumer', failNext: 2, error: 'chaos' });
    expect(faults.check({ logicalId: 'Other', name: 'Stack-Other' }, event)).toBeUndefined();
    expect(faults.check(fn, event)).toEqual({
      before: { errorType: 'InjectedFault', errorMessage: 'chaos', trace: [] },
    });
    expect(faults.check(fn, event)).toBeDefined();
    expect(faults.check(fn, event)).toBeUndefined();
  });

  it('fails at a rate, matching a name substring too', () => {
    const draws = [0.1, 0.9];
    const faults = new FaultInjector(() => draws.shift() ?? 1);
    faults.inject({ function: 'Stack-Cons', failureRate: 0.5 });
    expect(faults.check(fn, event)).toBeDefined();
    expect(faults.check(fn, event)).toBeUndefined();
    faults.clear();
    expect(faults.check(fn, event)).toBeUndefined();
  });

  it('fails after the handler, or cuts the invocation at one of its first ten SDK requests', () => {
    const faults = new FaultInjector(() => 0.35);
    faults.inject({ function: 'Consumer', failNext: 1, mode: 'after' });
    expect(faults.check(fn, event)).toEqual({
      after: { errorType: 'InjectedFault', errorMessage: 'Injected fault (Consumer, after the handler)', trace: [] },
    });
    faults.inject({ function: 'Consumer', failNext: 1, mode: 'timeout' });
    expect(faults.check(fn, event)).toEqual({ worker: { sdk: [], cutAtRequest: 4 } });
    expect(faults.check(fn, event)).toBeUndefined();
  });

  it('hands sdk faults to every invocation of the function, for the worker to strike request by request', () => {
    const faults = new FaultInjector(() => 0);
    faults.inject({ function: 'Consumer', failureRate: 0.1, mode: 'sdk' });
    faults.inject({ function: 'Consumer', failureRate: 1, mode: 'sdk', match: 'poison-' });
    const sdk = [{ failureRate: 0.1 }, { failureRate: 1, match: 'poison-' }];
    expect(faults.check(fn, event)).toEqual({ worker: { sdk } });
    expect(faults.check(fn, {})).toEqual({ worker: { sdk } });
    expect(() => faults.inject({ function: 'Consumer', failNext: 1, mode: 'sdk' })).toThrow(/failureRate/);
  });

  it('strikes only the invocations that carry the poison when a fault has match', () => {
    const faults = new FaultInjector(() => 0);
    faults.inject({ function: 'Consumer', failureRate: 1, match: 'poison-1' });
    expect(faults.check(fn, { Records: [{ body: '{"id":"healthy"}' }] })).toBeUndefined();
    expect(faults.check(fn, event)?.before).toBeDefined();
  });

  it('parses CXLOOP_FAULTS with an optional mode', () => {
    expect(parseFaultSpecs('Consumer:0.2, other:0.5,Aggregator:0.1:sdk,Cat:1:timeout')).toEqual([
      { function: 'Consumer', failureRate: 0.2 },
      { function: 'other', failureRate: 0.5 },
      { function: 'Aggregator', failureRate: 0.1, mode: 'sdk' },
      { function: 'Cat', failureRate: 1, mode: 'timeout' },
    ]);
    expect(() => parseFaultSpecs('Consumer')).toThrow(/bad fault/);
    expect(() => parseFaultSpecs('Consumer:')).toThrow(/bad fault/);
    expect(() => parseFaultSpecs('Consumer:2')).toThrow(/bad fault/);
    expect(() => parseFaultSpecs('Consumer:0.1:later')).toThrow(/before, after, sdk, timeout/);
    expect(() => parseFaultSpecs('Consumer:0.1:sdk:x')).toThrow(/bad fault/);
  });
});

describe('generateSecretString', () => {
  it('follows the length, character classes and exclusions', () => {
    const value = generateSecretString({ passwordLength: 40, excludePunctuation: true, excludeCharacters: 'aA0' });
    expect(value).toHaveLength(40);
    expect(value).toMatch(/^[b-zB-Z1-9]+$/);
    expect(value).toMatch(/[a-z]/);
    expect(value).toMatch(/[A-Z]/);
    expect(value).toMatch(/[0-9]/);
    expect(generateSecretString({})).toHaveLength(32);
  });

  it('fills the JSON template', () => {
    const value = JSON.parse(
      generateSecretString({
        secretStringTemplate: '{"user":"admin"}',
        generateStringKey: 'password',
        passwordLength: 8,
      }),
    );
    expect(value).toEqual({ user: 'admin', password: expect.stringMatching(/^.{8}$/) });
  });
});
