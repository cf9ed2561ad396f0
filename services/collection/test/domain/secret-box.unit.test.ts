import { describe, expect, it } from 'vitest';
import { SealedSecretError, secretBox } from '../../src/domain/secret-box';

const box = secretBox('k'.repeat(64));

describe('secretBox', () => {
  it('opens what it sealed, under the same context', () => {
    const sealed = box.seal('zendesk-signing-secret', 'integration:int_1:secret');
    expect(sealed).not.toContain('zendesk-signing-secret');
    expect(box.open(sealed, 'integration:int_1:secret')).toBe('zendesk-signing-secret');
  });

  it('seals the same secret differently every time', () => {
    expect(box.seal('s', 'c')).not.toBe(box.seal('s', 'c'));
  });

  it('refuses a sealed value moved onto another item', () => {
    const sealed = box.seal('secret', 'integration:int_1:secret');
    expect(() => box.open(sealed, 'integration:int_2:secret')).toThrow(SealedSecretError);
  });

  it('refuses an altered value and another key', () => {
    const sealed = box.seal('secret', 'c');
    const [version, iv, ciphertext, tag] = sealed.split('.');
    const flipped = `${ciphertext?.[0] === 'A' ? 'B' : 'A'}${ciphertext?.slice(1)}`;
    expect(() => box.open([version, iv, flipped, tag].join('.'), 'c')).toThrow(SealedSecretError);
    expect(() => secretBox('x'.repeat(64)).open(sealed, 'c')).toThrow(SealedSecretError);
    expect(() => box.open('not sealed', 'c')).toThrow(SealedSecretError);
  });

  it('needs key material of at least 32 characters', () => {
    expect(() => secretBox('short')).toThrow('at least 32');
  });
});
