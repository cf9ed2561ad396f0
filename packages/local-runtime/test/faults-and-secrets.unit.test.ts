import { describe, expect, it } from 'vitest';
import { FaultInjector, parseFaultSpecs } from '../src/lambda/faults';
import { generateSecretString } from '../src/secrets/generate-secret';

const fn = { logicalId: 'ConsumerABC123', name: 'Stack-ConsumerABC123' };

describe('FaultInjector', () => {
  it('fails the next N invocations of matching functions, then stops', () => {
    const faults = new FaultInjector();
    faults.inject({ function: 'Consumer', failNext: 2, error: 'chaos' });
    expect(faults.check({ logicalId: 'Other', name: 'Stack-Other' })).toBeUndefined();
    expect(faults.check(fn)).toEqual({ errorType: 'InjectedFault', errorMessage: 'chaos', trace: [] });
    expect(faults.check(fn)).toBeDefined();
    expect(faults.check(fn)).toBeUndefined();
  });

  it('fails at a rate, matching a name substring too', () => {
    const draws = [0.1, 0.9];
    const faults = new FaultInjector(() => draws.shift() ?? 1);
    faults.inject({ function: 'Stack-Cons', failureRate: 0.5 });
    expect(faults.check(fn)).toBeDefined();
    expect(faults.check(fn)).toBeUndefined();
    faults.clear();
    expect(faults.check(fn)).toBeUndefined();
  });

  it('parses CXLOOP_FAULTS', () => {
    expect(parseFaultSpecs('Consumer:0.2, other:0.5,')).toEqual([
      { function: 'Consumer', failureRate: 0.2 },
      { function: 'other', failureRate: 0.5 },
    ]);
    expect(() => parseFaultSpecs('Consumer')).toThrow(/bad fault/);
    expect(() => parseFaultSpecs('Consumer:2')).toThrow(/bad fault/);
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
