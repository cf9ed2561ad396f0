import { createPrivateKey, sign } from 'node:crypto';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A compact JWS. RS256 for Google service accounts; ES256 for App Store Connect, whose signature is the raw r‖s pair
 * (IEEE P1363), not the DER that node:crypto gives by default.
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
