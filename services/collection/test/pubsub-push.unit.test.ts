import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { googleSigningKeys, pubSubPushVerifier } from '../src/providers/google';
import { certsEndpoint, googleTestKey, pushAudience, pushServiceAccount } from './support/google-oidc';

const now = new Date('2026-11-20T09:15:00Z');
const expected = { audience: pushAudience, serviceAccountEmail: pushServiceAccount };
const key = googleTestKey('key-1');
const certsUrl = 'https://www.googleapis.com/oauth2/v3/certs';

function setup(keys = [key.jwk], cacheControl?: string) {
  const certs = certsEndpoint(() => keys, cacheControl);
  const verify = pubSubPushVerifier(googleSigningKeys(certsUrl, certs.fetch));
  return { verify, served: certs.served, keys };
}
const bearer = (token: string) => `Bearer ${token}`;
const seconds = (count: number) => new Date(now.getTime() + count * 1000);

describe('Pub/Sub push OIDC tokens', () => {
  it('accepts a token Google signed for the audience and the push service account, from either issuer', async () => {
    const { verify } = setup();
    expect(await verify(bearer(await key.sign(now)), expected, now)).toEqual({ ok: true });
    const bare = await key.sign(now, { iss: 'accounts.google.com' });
    expect(await verify(bearer(bare), expected, now)).toEqual({ ok: true });
  });

  it('tolerates a minute of clock skew, not more', async () => {
    const { verify } = setup();
    expect(await verify(bearer(await key.sign(seconds(45))), expected, now)).toEqual({ ok: true });
    expect(await verify(bearer(await key.sign(seconds(120))), expected, now)).toMatchObject({ ok: false });
    const expiring = await key.sign(now, { exp: Math.floor(now.getTime() / 1000) + 10 });
    expect(await verify(bearer(expiring), expected, seconds(60))).toEqual({ ok: true });
    expect(await verify(bearer(expiring), expected, seconds(75))).toMatchObject({ ok: false, reason: /exp/ });
  });

  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  it.each([
    ['no Authorization header', async () => undefined, /missing Authorization/],
    ['a token that is not a JWT', async () => bearer('not-a-jwt'), /push token/],
    ['another audience', async () => bearer(await key.sign(now, { aud: 'https://evil.example' })), /aud/],
    ['another issuer', async () => bearer(await key.sign(now, { iss: 'https://evil.example' })), /iss/],
    [
      'another service account',
      async () => bearer(await key.sign(now, { email: 'x@evil.example' })),
      /service account/,
    ],
    ['an unverified email', async () => bearer(await key.sign(now, { email_verified: false })), /not verified/],
    ['no email_verified claim', async () => bearer(await key.sign(now, { email_verified: undefined })), /not verified/],
    ['an expired token', async () => bearer(await key.sign(seconds(-7200))), /exp|iat/],
    ['a signature by another key', async () => bearer(await key.sign(now, {}, { key: otherKey })), /signature/],
    ['another algorithm', async () => bearer(await key.sign(now, {}, { alg: 'PS256' })), /alg/],
  ])('refuses %s, saying why', async (_case, authorization, reason) => {
    const { verify } = setup();
    const result = await verify(await authorization(), expected, now);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('keeps Google’s keys for as long as their Cache-Control says', async () => {
    const { verify, served } = setup([key.jwk], 'public, max-age=600');
    const token = await key.sign(now);
    await verify(bearer(token), expected, now);
    await verify(bearer(token), expected, seconds(599));
    expect(served.fetches).toBe(1);
    await verify(bearer(token), expected, seconds(600));
    expect(served.fetches).toBe(2);
  });

  it('fetches the keys again for a token signed with a new key, at most once a minute', async () => {
    const { verify, served, keys } = setup();
    await verify(bearer(await key.sign(now)), expected, now);
    const rotated = googleTestKey('key-2');
    keys.push(rotated.jwk);
    const early = await rotated.sign(seconds(30));
    expect(await verify(bearer(early), expected, seconds(30))).toMatchObject({ ok: false });
    expect(served.fetches).toBe(1);
    const later = await rotated.sign(seconds(61));
    expect(await verify(bearer(later), expected, seconds(61))).toEqual({ ok: true });
    expect(served.fetches).toBe(2);
  });

  it('fails (so that Pub/Sub retries) rather than refusing when Google’s keys cannot be read', async () => {
    const fetch = (async () => new Response('unavailable', { status: 503 })) as unknown as typeof globalThis.fetch;
    const verify = pubSubPushVerifier(googleSigningKeys(certsUrl, fetch));
    await expect(verify(bearer(await key.sign(now)), expected, now)).rejects.toThrow('503');
  });
});
