import { InvalidInputError } from '@cxloop/lambda-kit';
import { monotonicFactory } from 'ulid';
import { type ApiKey, type CreateApiKeyInput, generateApiKey, hashApiKey, newApiKey } from '../domain/api-keys';
import { UnknownResourceError } from '../domain/errors';
import type { ApiKeyStore } from '../store/api-keys';
import type { SurveyStore } from '../store/surveys';

/** Key ids sort in creation order (the listing relies on it), even for keys made within one millisecond. */
const nextKeyId = monotonicFactory();

/** Stores only the key's hash; the key itself is returned this once. A key bound to a survey needs the survey. */
export async function createApiKey(
  { apiKeys, surveys }: { apiKeys: ApiKeyStore; surveys: Pick<SurveyStore, 'get'> },
  input: CreateApiKeyInput,
  createdBy: string,
  now: Date,
): Promise<{ apiKey: ApiKey; key: string }> {
  if (input.surveyId !== undefined && !(await surveys.get(input.surveyId))) {
    throw new InvalidInputError([{ field: 'body.surveyId', message: `survey ${input.surveyId} does not exist` }]);
  }
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
