import { createPrivateKey, sign } from 'node:crypto';
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A compact JWS of our own assertions (tokens that others sign are checked by `verifyJwt`, through jose). RS256 for
 * Google service accounts; ES256 for App Store Connect, whose signature is the raw r‖s pair (IEEE P1363), not the
 * DER that node:crypto gives by default.
 */
export function signJwt(
  algorithm: 'RS256' | 'ES256',
  privateKeyPem: string,
  header: Record<string, string>,
  claims: Record<string, unknown>,
): string {
  const input = `${base64url({ alg: algorithm, typ: 'JWT', ...header })}.${base64url(claims)}`;
  const key = createPrivateKey(privateKeyPem);
  const signature =
    algorithm === 'RS256'
      ? sign('sha256', Buffer.from(input), key)
      : sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** A JWT that does not verify; `reason` names the failed check, never the token. */
export class JwtRejectedError extends Error {
  constructor(
    readonly reason: string,
    /** Signed with a key the key set does not hold: a newer key set may have it. */
    readonly unknownKey: boolean,
  ) {
    super(`JWT rejected: ${reason}`);
    this.name = 'JwtRejectedError';
  }
}

export interface JwtExpectations {
  algorithm: 'RS256';
  issuers: string[];
  audience: string;
  now: Date;
  /** Allowed clock difference for `exp` and `iat`. */
  clockToleranceSeconds: number;
  /** How old (by `iat`) a token may be. */
  maxAgeSeconds: number;
}

/**
 * The claims of a JWT signed with one of `keys`, by one of the issuers, for the audience, neither expired nor from the
 * future; a JwtRejectedError otherwise.
 */
export async function verifyJwt(token: string, keys: JSONWebKeySet, expected: JwtExpectations): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys), {
      algorithms: [expected.algorithm],
      issuer: expected.issuers,
      audience: expected.audience,
      currentDate: expected.now,
      clockTolerance: expected.clockToleranceSeconds,
      maxTokenAge: expected.maxAgeSeconds,
      requiredClaims: ['exp', 'iat'],
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JOSEError) {
      throw new JwtRejectedError(error.message, error instanceof errors.JWKSNoMatchingKey);
    }
    throw error;
  }
}
