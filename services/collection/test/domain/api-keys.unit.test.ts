import { describe, expect, it } from 'vitest';
import { presentedApiKey } from '../../src/domain/api-keys';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('presentedApiKey', () => {
  it('reads a Bearer key', () => {
    expect(presentedApiKey('Bearer cxk_abc')).toBe('cxk_abc');
    expect(presentedApiKey('bearer   cxk_abc  ')).toBe('cxk_abc');
  });

  it("reads a Basic user name as the key, as Delighted's clients send it, ignoring any password", () => {
    expect(presentedApiKey(basic('cxk_abc:'))).toBe('cxk_abc');
    expect(presentedApiKey(basic('cxk_abc:whatever'))).toBe('cxk_abc');
    expect(presentedApiKey(basic('cxk_abc'))).toBe('cxk_abc');
  });

  it('finds no key in anything else', () => {
    for (const header of [undefined, '', 'Bearer', 'Basic', basic(':secret'), 'Basic not*base64', 'Token cxk_abc']) {
      expect(presentedApiKey(header), String(header)).toBeUndefined();
    }
  });
});
