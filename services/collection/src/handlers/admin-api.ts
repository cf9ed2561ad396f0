import {
  decodeCursor,
  documentClient,
  encodeCursor,
  eventPublisher,
  httpRouter,
  json,
  NotFoundError,
  parseBody,
  parsePath,
  parseQuery,
  type RouteHandler,
  requirePrincipal,
} from '@cxloop/lambda-kit';
import * as z from 'zod';
import { createApiKeySchema } from '../domain/api-keys';
import {
  createIntegrationSchema,
  type Integration,
  isPullProvider,
  updateIntegrationSchema,
  webhookUrl,
} from '../domain/integrations';
import { retentionPolicyUpdateSchema } from '../domain/retention';
import { createSurveySchema, updateSurveySchema } from '../domain/surveys';
import { adminApiEnvironment } from '../environment';
import type { CollectionAdminRoute } from '../routes';
import { apiKeyStore } from '../store/api-keys';
import { integrationStore } from '../store/integrations';
import { retentionPolicyStore } from '../store/retention-policy';
import { surveyStore } from '../store/surveys';
import { createApiKey, revokeApiKey } from '../use-cases/manage-api-keys';
import { createIntegration, updateIntegration } from '../use-cases/manage-integrations';
import { retentionPolicyView, setRetentionPolicy } from '../use-cases/manage-retention';
import { createSurvey, rotateIdentitySecret, updateSurvey } from '../use-cases/manage-surveys';
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

const surveyPath = z.object({ surveyId: z.string().min(1).max(100) });
const keyPath = z.object({ keyId: z.string().min(1).max(100) });
const integrationPath = z.object({ integrationId: z.string().min(1).max(100) });
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
});

function integrationView(integration: Integration) {
  return { ...integration, webhookUrl: webhookUrl(publicApiUrl, integration) };
}

const routes: Record<CollectionAdminRoute, RouteHandler> = {
  'POST /v1/surveys': async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const { survey, identitySecret } = await createSurvey(
      { surveys, secretBox },
      parseBody(event, createSurveySchema),
      now,
    );
    return json(201, { ...survey, identitySecret });
  },
  'GET /v1/surveys': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const query = parseQuery(event, listQuery);
    const page = await surveys.list(query.limit, decodeCursor(query.cursor));
    return json(200, { items: page.surveys, nextCursor: encodeCursor(page.next) ?? null });
  },
  'GET /v1/surveys/{surveyId}': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const { surveyId } = parsePath(event, surveyPath);
    const survey = await surveys.get(surveyId);
    if (!survey) throw new NotFoundError(`Survey ${surveyId} does not exist`);
    return json(200, survey);
  },
  'PATCH /v1/surveys/{surveyId}': async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const { surveyId } = parsePath(event, surveyPath);
    return json(200, await updateSurvey({ surveys }, surveyId, parseBody(event, updateSurveySchema), now));
  },
  'POST /v1/surveys/{surveyId}/identity-secret': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const { surveyId } = parsePath(event, surveyPath);
    return json(200, { identitySecret: await rotateIdentitySecret({ surveys, secretBox }, surveyId) });
  },
  'POST /v1/api-keys': async ({ event, now }) => {
    const principal = requirePrincipal(event, 'admin');
    const { apiKey, key } = await createApiKey(apiKeys, parseBody(event, createApiKeySchema), principal.id, now);
    return json(201, { ...apiKey, key });
  },
  'GET /v1/api-keys': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const query = parseQuery(event, listQuery);
    const page = await apiKeys.list(query.limit, decodeCursor(query.cursor));
    return json(200, { items: page.apiKeys, nextCursor: encodeCursor(page.next) ?? null });
  },
  'DELETE /v1/api-keys/{keyId}': async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const { keyId } = parsePath(event, keyPath);
    return json(200, await revokeApiKey(apiKeys, keyId, now));
  },
  'POST /v1/integrations': async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const integration = await createIntegration(
      { integrations, secretBox },
      parseBody(event, createIntegrationSchema),
      now,
    );
    return json(201, integrationView(integration));
  },
  'GET /v1/integrations': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const query = parseQuery(event, listQuery);
    const page = await integrations.list(query.limit, decodeCursor(query.cursor));
    return json(200, { items: page.integrations.map(integrationView), nextCursor: encodeCursor(page.next) ?? null });
  },
  'GET /v1/integrations/{integrationId}': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const { integrationId } = parsePath(event, integrationPath);
    const integration = await integrations.get(integrationId);
    if (!integration) throw new NotFoundError(`Integration ${integrationId} does not exist`);
    const poll = isPullProvider(integration.provider) ? await integrations.getPoll(integrationId) : undefined;
    return json(200, { ...integrationView(integration), ...(poll ? { poll } : {}) });
  },
  'PATCH /v1/integrations/{integrationId}': async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const { integrationId } = parsePath(event, integrationPath);
    const update = parseBody(event, updateIntegrationSchema);
    return json(200, integrationView(await updateIntegration({ integrations, secretBox }, integrationId, update, now)));
  },
  'GET /v1/retention': async ({ event }) => {
    requirePrincipal(event, 'admin');
    return json(200, retentionPolicyView(await retention.get()));
  },
  'PUT /v1/retention': async ({ event, correlationId, requestId, now }) => {
    const principal = requirePrincipal(event, 'admin');
    const update = parseBody(event, retentionPolicyUpdateSchema);
    const causation = { correlationId, causationId: requestId };
    return json(200, await setRetentionPolicy({ retention, publish }, update, principal.id, causation, now));
  },
};

export const handler = httpRouter(routes);
