import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals the secrets collection must be able to read back (integration secrets and credentials, survey identity
 * secrets) before they reach the table: AES-256-GCM under a key derived from the deployment's secrets key (a Secrets
 * Manager secret). A copy of the table (backup, export, a role that may only read it) then holds no usable secret.
 * `context` is authenticated with the ciphertext, so a sealed value copied onto another item does not open there.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

const format = 'v1';
const ivBytes = 12;

export class SealedSecretError extends Error {
  constructor() {
    super('A sealed secret could not be opened (wrong key or context, or altered)');
    this.name = 'SealedSecretError';
  }
}

export function secretBox(keyMaterial: string): SecretBox {
  if (keyMaterial.length < 32) throw new Error('The secrets key must have at least 32 characters');
  const key = Buffer.from(hkdfSync('sha256', keyMaterial, Buffer.alloc(0), 'cxloop collection secret box v1', 32));
  return {
    seal(plaintext, context) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [format, iv, ciphertext, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const [version, iv, ciphertext, tag] = sealed.split('.');
      if (version !== format || iv === undefined || ciphertext === undefined || tag === undefined) {
        throw new SealedSecretError();
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new SealedSecretError();
      }
    },
  };
}
