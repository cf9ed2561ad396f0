import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openToken, sealToken } from '../src/sealed-token';

const key = randomBytes(32);
const payload = Buffer.from('email:anna@example.com', 'utf8');

/** The token with one bit flipped in the byte at `index` (negative: from the end). */
function flipped(token: string, index: number): string {
  const bytes = Buffer.from(token, 'base64url');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = bytes[at]! ^ 0x01;
  return bytes.toString('base64url');
}

describe('sealed link tokens', () => {
  it('open to what was sealed, with the key, purpose and context they were sealed for', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string(), (bytes, context) => {
        const token = sealToken(key, 'test', bytes, context);
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(openToken([key], 'test', token, context)).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 50 },
    );
  });

  it('are refused with another key, purpose or context', () => {
    const token = sealToken(key, 'test', payload, 'srv_1');
    expect(openToken([randomBytes(32)], 'test', token, 'srv_1')).toBeUndefined();
    expect(openToken([key], 'other', token, 'srv_1')).toBeUndefined();
    expect(openToken([key], 'test', token, 'srv_2')).toBeUndefined();
    expect(openToken([key], 'test', token)).toBeUndefined();
    expect(openToken([], 'test', token, 'srv_1')).toBeUndefined();
  });

  it('are refused when the IV, the ciphertext or the tag is altered, or the token is cut or padded', () => {
    const token = sealToken(key, 'test', payload);
    expect(openToken([key], 'test', flipped(token, 0), '')).toBeUndefined();
    expect(openToken([key], 'test', flipped(token, 11), '')).toBeUndefined();
    expect(openToken([key], 'test', flipped(token, 12), '')).toBeUndefined();
    expect(openToken([key], 'test', flipped(token, -17), '')).toBeUndefined();
    expect(openToken([key], 'test', flipped(token, -16), '')).toBeUndefined();
    expect(openToken([key], 'test', flipped(token, -1), '')).toBeUndefined();
    expect(openToken([key], 'test', token.slice(0, -2), '')).toBeUndefined();
    expect(openToken([key], 'test', `${token}AA`, '')).toBeUndefined();
    expect(openToken([key], 'test', `${token}.x`, '')).toBeUndefined();
    expect(openToken([key], 'test', 'c2hvcnQ', '')).toBeUndefined();
    expect(openToken([key], 'test', '', '')).toBeUndefined();
  });

  it('open with any one of several keys, string or bytes', () => {
    const byText = sealToken('a-text-secret', 'test', payload);
    const byBytes = sealToken(key, 'test', payload);
    expect(openToken(['a-text-secret', key], 'test', byText)).toEqual(payload);
    expect(openToken(['a-text-secret', key], 'test', byBytes)).toEqual(payload);
    expect(openToken([Buffer.from('a-text-secret', 'utf8')], 'test', byText)).toEqual(payload);
  });

  it('differ every time, so equal payloads cannot be matched up across links', () => {
    expect(sealToken(key, 'test', payload)).not.toBe(sealToken(key, 'test', payload));
  });
});
