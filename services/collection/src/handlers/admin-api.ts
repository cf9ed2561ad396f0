import {
  decodeCursor,
  documentClient,
  encodeCursor,
  eventPublisher,
  httpRoutes,
  json,
  NotFoundError,
} from '@cxloop/lambda-kit';
import { type Integration, isPullProvider, webhookUrl } from '../domain/integrations';
import { adminApiEnvironment } from '../environment';
import { collectionAdminRoutes } from '../routes';
import { apiKeyStore } from '../store/api-keys';
import { integrationStore } from '../store/integrations';
import { retentionPolicyStore } from '../store/retention-policy';
import { surveyStore } from '../store/surveys';
import { createApiKey, revokeApiKey } from '../use-cases/manage-api-keys';
import { createIntegration, updateIntegration } from '../use-cases/manage-integrations';
import { retentionPolicyView, setRetentionPolicy } from '../use-cases/manage-retention';
import { createSurvey, rotateIdentitySecret, updateSurvey } from '../use-cases/manage-surveys';
import { collectionErrors } from './http-errors';
import { secretBoxFrom } from './shared';

const env = adminApiEnvironment.read();
const tableName = env.TABLE_NAME;
const publicApiUrl = env.PUBLIC_API_URL;
const db = documentClient();
const secretBox = secretBoxFrom(env.SECRETS_KEY_SECRET_ID);
const surveys = surveyStore(db, tableName);
const apiKeys = apiKeyStore(db, tableName);
const integrations = integrationStore(db, tableName);
const retention = retentionPolicyStore(db, tableName);
const publish = eventPublisher(env.EVENT_BUS_NAME);

function integrationView(integration: Integration) {
  return { ...integration, webhookUrl: webhookUrl(publicApiUrl, integration) };
}

export const handler = httpRoutes(
  collectionAdminRoutes,
  {
    'POST /v1/surveys': async ({ body, now }) => {
      const { survey, identitySecret } = await createSurvey({ surveys, secretBox }, body, now);
      return json(201, { ...survey, identitySecret });
    },
    'GET /v1/surveys': async ({ query }) => {
      const page = await surveys.list(query.limit, decodeCursor(query.cursor));
      return json(200, { items: page.surveys, nextCursor: encodeCursor(page.next) ?? null });
    },
    'GET /v1/surveys/{surveyId}': async ({ path: { surveyId } }) => {
      const survey = await surveys.get(surveyId);
      if (!survey) throw new NotFoundError(`Survey ${surveyId} does not exist`);
      return json(200, survey);
    },
    'PATCH /v1/surveys/{surveyId}': async ({ path, body, now }) =>
      json(200, await updateSurvey({ surveys }, path.surveyId, body, now)),
    'POST /v1/surveys/{surveyId}/identity-secret': async ({ path }) =>
      json(200, { identitySecret: await rotateIdentitySecret({ surveys, secretBox }, path.surveyId) }),
    'POST /v1/api-keys': async ({ body, principal, now }) => {
      const { apiKey, key } = await createApiKey({ apiKeys, surveys }, body, principal.id, now);
      return json(201, { ...apiKey, key });
    },
    'GET /v1/api-keys': async ({ query }) => {
      const page = await apiKeys.list(query.limit, decodeCursor(query.cursor));
      return json(200, { items: page.apiKeys, nextCursor: encodeCursor(page.next) ?? null });
    },
    'DELETE /v1/api-keys/{keyId}': async ({ path, now }) => json(200, await revokeApiKey(apiKeys, path.keyId, now)),
    'POST /v1/integrations': async ({ body, now }) =>
      json(201, integrationView(await createIntegration({ integrations, secretBox }, body, now))),
    'GET /v1/integrations': async ({ query }) => {
      const page = await integrations.list(query.limit, decodeCursor(query.cursor));
      return json(200, { items: page.integrations.map(integrationView), nextCursor: encodeCursor(page.next) ?? null });
    },
    'GET /v1/integrations/{integrationId}': async ({ path: { integrationId } }) => {
      const integration = await integrations.get(integrationId);
      if (!integration) throw new NotFoundError(`Integration ${integrationId} does not exist`);
      const poll = isPullProvider(integration.provider) ? await integrations.getPoll(integrationId) : undefined;
      return json(200, { ...integrationView(integration), ...(poll ? { poll } : {}) });
    },
    'PATCH /v1/integrations/{integrationId}': async ({ path, body, now }) =>
      json(200, integrationView(await updateIntegration({ integrations, secretBox }, path.integrationId, body, now))),
    'GET /v1/retention': async () => json(200, retentionPolicyView(await retention.get())),
    'PUT /v1/retention': async ({ body, principal, causation, now }) =>
      json(200, await setRetentionPolicy({ retention, publish }, body, principal.id, causation, now)),
  },
  { errors: collectionErrors },
);
