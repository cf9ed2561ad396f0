import { monotonicFactory } from 'ulid';
import { type ApiKey, type CreateApiKeyInput, generateApiKey, hashApiKey, newApiKey } from '../domain/api-keys';
import { UnknownResourceError } from '../domain/errors';
import type { ApiKeyStore } from '../store/api-keys';

/** Key ids sort in creation order (the listing relies on it), even for keys made within one millisecond. */
const nextKeyId = monotonicFactory();

/** Stores only the key's hash; the key itself is returned this once. */
export async function createApiKey(
  apiKeys: ApiKeyStore,
  input: CreateApiKeyInput,
  createdBy: string,
  now: Date,
): Promise<{ apiKey: ApiKey; key: string }> {
  const key = generateApiKey();
  const apiKey = newApiKey(input, `key_${nextKeyId()}`, createdBy, now);
  await apiKeys.create(apiKey, hashApiKey(key));
  return { apiKey, key };
}

export async function revokeApiKey(apiKeys: ApiKeyStore, keyId: string, now: Date): Promise<ApiKey> {
  const revoked = await apiKeys.revoke(keyId, now);
  if (!revoked) throw new UnknownResourceError(`API key ${keyId} does not exist`);
  return revoked;
}
