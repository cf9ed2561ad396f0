import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { type AuthorizerContext, documentClient, logger } from '@cxloop/lambda-kit';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { hashApiKey, presentedApiKey, secretsEqual } from '../domain/api-keys';
import { authorizerEnvironment } from '../environment';
import { apiKeyStore } from '../store/api-keys';

const env = authorizerEnvironment.read();
const adminKeySecretId = env.ADMIN_KEY_SECRET_ID;
const apiKeys = apiKeyStore(documentClient(), env.TABLE_NAME);

type Result = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>;
const anonymous: Result = { isAuthorized: true, context: { authenticated: 'false' } };

/**
 * Checks the key of `Authorization: Bearer <key>` (or `Basic`, Delighted's way: the key as user name) against the
 * deployment's admin key and the stored (hashed) API keys; a key bound to a survey passes its survey on.
 */
export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<Result> {
  const key = presentedApiKey(event.headers?.authorization);
  if (!key) return anonymous;

  const adminKey = await getSecret(adminKeySecretId, { maxAge: 300 });
  if (typeof adminKey === 'string' && secretsEqual(key, adminKey)) {
    return { isAuthorized: true, context: { authenticated: 'true', principal: 'admin-key', scopes: 'admin' } };
  }

  const stored = await apiKeys.getByHash(hashApiKey(key));
  if (!stored || stored.revokedAt) {
    logger.info('Rejected an unknown or revoked API key');
    return anonymous;
  }
  return {
    isAuthorized: true,
    context: {
      authenticated: 'true',
      principal: stored.id,
      scopes: stored.scopes.join(' '),
      ...(stored.surveyId ? { surveyId: stored.surveyId } : {}),
    },
  };
}
