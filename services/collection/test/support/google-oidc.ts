import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';

export const pushAudience = 'https://api.example.com/v1/webhooks/google_business_profile';
export const pushServiceAccount = 'cxloop-push@example-project.iam.gserviceaccount.com';

/** A locally generated Google-like signing key: its public half as a JWKS entry, and a signer of push tokens. */
export function googleTestKey(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    /** A Pub/Sub push token as Google's documentation shows one, with `claims` changed. */
    sign(now: Date, claims: JWTPayload = {}, options: { alg?: string; key?: KeyObject } = {}): Promise<string> {
      const issuedAt = Math.floor(now.getTime() / 1000);
      return new SignJWT({
        iss: 'https://accounts.google.com',
        aud: pushAudience,
        azp: '113774264463038321964',
        sub: '113774264463038321964',
        email: pushServiceAccount,
        email_verified: true,
        iat: issuedAt,
        exp: issuedAt + 3600,
        ...claims,
      })
        .setProtectedHeader({ alg: options.alg ?? 'RS256', kid, typ: 'JWT' })
        .sign(options.key ?? privateKey);
    },
  };
}

/** A fetch that serves `keys()` as Google's certs endpoint does, counting the fetches. */
export function certsEndpoint(keys: () => object[], cacheControl = 'public, max-age=20000, must-revalidate') {
  const served = { fetches: 0 };
  const fetch = (async () => {
    served.fetches++;
    return new Response(JSON.stringify({ keys: keys() }), {
      headers: { 'content-type': 'application/json', 'cache-control': cacheControl },
    });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, served };
}
