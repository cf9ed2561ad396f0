import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Opaque tokens for links that end up in mail-provider logs, proxies, browser history and referrers: the payload is
 * encrypted and authenticated (AES-256-GCM), so a token shows nothing about whom it is for and cannot be altered or
 * made without the key. The token is base64url(IV ‖ ciphertext ‖ tag): one URL-safe segment, 38 characters plus
 * the payload's length × 4/3.
 *
 * Each purpose gets its own key, derived from the signing key with HKDF and the purpose's label, so a token made for
 * one purpose never opens as another even when the same secret backs both.
 */
const ivBytes = 12;
const tagBytes = 16;
const base64url = /^[A-Za-z0-9_-]+$/;

export type TokenKey = string | Uint8Array;

const tokenKey = (key: TokenKey, purpose: string) =>
  Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `cxloop ${purpose} link token v1`, 32));

/** `context` is authenticated but not carried: the token opens only where the same context is given again. */
export function sealToken(key: TokenKey, purpose: string, payload: Uint8Array, context = ''): string {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', tokenKey(key, purpose), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  return Buffer.concat([iv, cipher.update(payload), cipher.final(), cipher.getAuthTag()]).toString('base64url');
}

/**
 * The payload, when one of `keys` sealed the token for this purpose and context; undefined for anything else (made
 * with another key, for another context, altered, cut short). Every key is tried, whichever opens it, so the time
 * taken does not tell which key made the token.
 */
export function openToken(keys: readonly TokenKey[], purpose: string, token: string, context = ''): Buffer | undefined {
  if (!base64url.test(token)) return undefined;
  const sealed = Buffer.from(token, 'base64url');
  if (sealed.length < ivBytes + tagBytes) return undefined;
  const iv = sealed.subarray(0, ivBytes);
  const ciphertext = sealed.subarray(ivBytes, sealed.length - tagBytes);
  const tag = sealed.subarray(sealed.length - tagBytes);
  const opened = keys.map((key) => {
    const decipher = createDecipheriv('aes-256-gcm', tokenKey(key, purpose), iv, { authTagLength: tagBytes });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      return undefined;
    }
  });
  return opened.find((payload) => payload !== undefined);
}
