/**
 * HTTP routes of the collection service: the CDK app creates exactly these, the handlers implement exactly these,
 * the OpenAPI document and the dashboard's types are derived from them.
 */
import {
  defineRoute,
  delightedRoutes,
  htmlPage,
  jsonObject,
  noContent,
  pageOf,
  pageQuery,
} from '@cxloop/http-contracts';
import * as z from 'zod';
import { createApiKeySchema } from './domain/api-keys';
import { delightedResponseListQuerySchema, delightedResponseRequestSchema } from './domain/delighted';
import { IMPORT_BATCH_MAX_ROWS, importBatchSchema } from './domain/imports';
import { createIntegrationSchema, updateIntegrationSchema } from './domain/integrations';
import { respondentInputSchema } from './domain/respondents';
import { responseInputSchema } from './domain/responses';
import { retentionPolicyUpdateSchema } from './domain/retention';
import { createSurveySchema, surveyTypes, updateSurveySchema } from './domain/surveys';

const surveyPath = z.object({ surveyId: z.string().min(1).max(100) });
const keyPath = z.object({ keyId: z.string().min(1).max(100) });
const integrationPath = z.object({ integrationId: z.string().min(1).max(100) });

/** A survey as admins read it (the dashboard lists them). */
export const surveySchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(surveyTypes),
  timeZone: z.string(),
  status: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const apiKey = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().optional(),
  surveyId: z.string().optional().describe('The survey a delighted key acts on'),
});
const integration = z.object({ id: z.string(), provider: z.string(), webhookUrl: z.string().nullable().optional() });
const retentionView = z.object({ policy: jsonObject, version: z.number() });
const identitySecret = z.string().describe('Shown once: hosts sign respondent ids and addresses with it');

const createSurvey = defineRoute({
  method: 'POST',
  path: '/v1/surveys',
  auth: 'admin',
  summary: 'Creates a survey, with the identity secret its hosts sign respondents with',
  request: { body: createSurveySchema },
  responses: { 201: surveySchema.extend({ identitySecret }) },
});
const listSurveys = defineRoute({
  method: 'GET',
  path: '/v1/surveys',
  auth: 'admin',
  summary: 'The surveys',
  request: { query: pageQuery() },
  responses: { 200: pageOf(surveySchema) },
});
const getSurvey = defineRoute({
  method: 'GET',
  path: '/v1/surveys/{surveyId}',
  auth: 'admin',
  summary: 'One survey',
  request: { path: surveyPath },
  responses: { 200: surveySchema },
  errors: { 404: 'No such survey' },
});
const updateSurvey = defineRoute({
  method: 'PATCH',
  path: '/v1/surveys/{surveyId}',
  auth: 'admin',
  summary: "Changes a survey's name, questions, status, origins or quotas",
  request: { path: surveyPath, body: updateSurveySchema },
  responses: { 200: surveySchema },
  errors: { 404: 'No such survey' },
});
const rotateIdentitySecret = defineRoute({
  method: 'POST',
  path: '/v1/surveys/{surveyId}/identity-secret',
  auth: 'admin',
  summary: "Replaces a survey's identity secret",
  request: { path: surveyPath },
  responses: { 200: z.object({ identitySecret }) },
  errors: { 404: 'No such survey' },
});
const createApiKey = defineRoute({
  method: 'POST',
  path: '/v1/api-keys',
  auth: 'admin',
  summary: 'Creates an API key with scopes',
  request: { body: createApiKeySchema },
  responses: { 201: apiKey.extend({ key: z.string().describe('Shown once; only its hash is stored') }) },
});
const listApiKeys = defineRoute({
  method: 'GET',
  path: '/v1/api-keys',
  auth: 'admin',
  summary: 'The API keys (never the keys themselves)',
  request: { query: pageQuery() },
  responses: { 200: pageOf(apiKey) },
});
const revokeApiKey = defineRoute({
  method: 'DELETE',
  path: '/v1/api-keys/{keyId}',
  auth: 'admin',
  summary: 'Revokes an API key',
  request: { path: keyPath },
  responses: { 200: apiKey },
  errors: { 404: 'No such key' },
});
const createIntegration = defineRoute({
  method: 'POST',
  path: '/v1/integrations',
  auth: 'admin',
  summary: 'Connects a helpdesk, survey tool or review site; webhook providers get the URL to call',
  request: { body: createIntegrationSchema },
  responses: { 201: integration },
});
const listIntegrations = defineRoute({
  method: 'GET',
  path: '/v1/integrations',
  auth: 'admin',
  summary: 'The integrations',
  request: { query: pageQuery() },
  responses: { 200: pageOf(integration) },
});
const getIntegration = defineRoute({
  method: 'GET',
  path: '/v1/integrations/{integrationId}',
  auth: 'admin',
  summary: 'One integration, with the state of its polling for review sites',
  request: { path: integrationPath },
  responses: { 200: integration },
  errors: { 404: 'No such integration' },
});
const updateIntegration = defineRoute({
  method: 'PATCH',
  path: '/v1/integrations/{integrationId}',
  auth: 'admin',
  summary: "Changes an integration's name, status or credentials",
  request: { path: integrationPath, body: updateIntegrationSchema },
  responses: { 200: integration },
  errors: { 404: 'No such integration' },
});
const getRetention = defineRoute({
  method: 'GET',
  path: '/v1/retention',
  auth: 'admin',
  summary: 'The retention policy in force: how long each kind of personal data is kept',
  responses: { 200: retentionView },
});
const putRetention = defineRoute({
  method: 'PUT',
  path: '/v1/retention',
  auth: 'admin',
  summary: 'Sets the retention policy (versioned) and publishes RetentionPolicyChanged',
  request: { body: retentionPolicyUpdateSchema },
  responses: { 200: retentionView },
  errors: { 409: 'expectedVersion is not the version in force' },
});

export const collectionAdminRoutes = [
  createSurvey,
  listSurveys,
  getSurvey,
  updateSurvey,
  rotateIdentitySecret,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  createIntegration,
  listIntegrations,
  getIntegration,
  updateIntegration,
  getRetention,
  putRetention,
] as const;

const importRowResult = z.object({
  index: z.number().describe('Position of the row in `rows`'),
  sourceId: z.string().optional(),
  status: z.enum(['imported', 'duplicate', 'rejected']),
  reason: z.enum(['invalid', 'past_retention', 'erased']).optional().describe('Why a row was rejected'),
  field: z.string().optional().describe('The field of the row that was rejected'),
  message: z.string().optional(),
});

/**
 * Admin imports of another system's history. Their own function (reserved concurrency) and this throttle bound what
 * an import takes from the table, the bus and the pipeline; the public per-survey quotas do not apply to them.
 */
export const collectionImportRoutes = [
  defineRoute({
    method: 'POST',
    path: '/v1/surveys/{surveyId}/imports',
    auth: 'admin',
    summary: `Imports up to ${IMPORT_BATCH_MAX_ROWS} past answers, idempotent by each row's sourceId; never followed up`,
    description:
      'Each row is `{sourceId, answeredAt (ISO 8601), score, comment?, respondent?: {id?, email?, name?}, ' +
      'properties?}` (a name is accepted and not stored), checked on its own: the answer says per row whether it ' +
      'was imported, was a duplicate (imported before), ' +
      'or was rejected, with the reason and the field. Rows keep their time; they are categorised and counted, ' +
      'marked historical so that follow-up never acts on them. An answer older than the retention policy allows is ' +
      'rejected (`past_retention`).',
    request: { path: surveyPath, body: importBatchSchema, maxBodyBytes: 1024 * 1024 },
    responses: {
      200: z.object({
        imported: z.number(),
        duplicates: z.number(),
        rejected: z.number(),
        rows: z.array(importRowResult),
      }),
    },
    errors: { 404: 'No such survey', 429: 'Too many import requests at once: retry after Retry-After' },
    throttle: { rateLimit: 10, burstLimit: 20 },
  }),
] as const;

const delightedResponse = z.object({
  id: z.string(),
  person: z
    .union([
      z.string(),
      z.object({
        id: z.string(),
        email: z.string().nullable(),
        name: z.null(),
        phone_number: z.null(),
        created_at: z.number(),
      }),
    ])
    .nullable()
    .describe('The person id, or the person with expand[]=person (null for an anonymous answer)'),
  survey_type: z.literal('nps'),
  score: z.number(),
  comment: z.string().nullable(),
  permalink: z.string(),
  created_at: z.number(),
  updated_at: z.number(),
  person_properties: jsonObject,
  notes: z.array(z.never()).describe('Always empty: notes live on follow-up cases'),
  tags: z.array(z.never()),
  additional_answers: z.array(z.never()),
});

/** Delighted's survey responses, of the survey the key is bound to. */
export const collectionDelightedRoutes = [
  ...delightedRoutes({
    method: 'POST',
    path: '/survey_responses',
    summary: 'Adds a response (a score and comment) from a person, given by id or e-mail address',
    request: { body: delightedResponseRequestSchema, maxBodyBytes: 16 * 1024 },
    responses: { 201: delightedResponse },
  }),
  ...delightedRoutes({
    method: 'GET',
    path: '/survey_responses',
    summary: 'The responses, oldest first unless ordered otherwise, paged with per_page, page and a Link header',
    description:
      '`trend` (a Delighted trend, a saved segment) is a cxloop segment: `<property>:<value>`, the responses whose ' +
      'person_properties have it.',
    request: { query: delightedResponseListQuerySchema },
    responses: { 200: z.array(delightedResponse) },
  }),
] as const;

const browserThrottle = { rateLimit: 100, burstLimit: 200 };
const preflight = (path: '/v1/surveys/{surveyId}/responses' | '/v1/surveys/{surveyId}/asks') =>
  defineRoute({
    method: 'OPTIONS',
    path,
    auth: 'public',
    summary: 'CORS preflight',
    responses: { 204: noContent('The CORS headers for an origin the survey allows') },
    errors: { 403: 'The origin is not among those the survey allows' },
  });

const submitResponse = defineRoute({
  method: 'POST',
  path: '/v1/surveys/{surveyId}/responses',
  auth: 'public',
  summary: 'Records an answer (a score and comment); posting the same responseId again revises it',
  request: { path: surveyPath, body: responseInputSchema, maxBodyBytes: 16 * 1024 },
  responses: {
    201: z.object({
      responseId: z.string(),
      feedbackId: z.string(),
      revision: z.number(),
      outcome: z.enum(['created', 'updated', 'unchanged']),
    }),
    200: z.object({
      responseId: z.string(),
      feedbackId: z.string(),
      revision: z.number(),
      outcome: z.enum(['created', 'updated', 'unchanged']),
    }),
  },
  errors: {
    403: 'The origin is not allowed, or the respondent is not proven',
    404: 'No such survey',
    409: 'The survey is paused or closed',
    429: "The survey's quota for this address or browser is used up",
  },
  throttle: browserThrottle,
});
const ask = defineRoute({
  method: 'POST',
  path: '/v1/surveys/{surveyId}/asks',
  auth: 'public',
  summary: 'Whether the widget should ask this respondent now',
  request: { path: surveyPath, body: z.object({ respondent: respondentInputSchema }), maxBodyBytes: 2 * 1024 },
  responses: { 200: z.object({ ask: z.boolean() }) },
  errors: { 403: 'The origin is not allowed', 404: 'No such survey' },
  throttle: browserThrottle,
});

/** Called by widgets and hosted pages in browsers: CORS per survey, answered by the handler (preflights included). */
export const collectionPublicRoutes = [
  submitResponse,
  preflight('/v1/surveys/{surveyId}/responses'),
  ask,
  preflight('/v1/surveys/{surveyId}/asks'),
] as const;

/** Called by providers' servers; proven by signatures over the raw body. */
export const collectionWebhookRoutes = [
  defineRoute({
    method: 'POST',
    path: '/v1/webhooks/{provider}/{integrationId}',
    auth: 'public',
    summary: "A provider's delivery, proven by its signature over the raw body",
    request: {
      path: z.object({ provider: z.string().min(1).max(40), integrationId: z.string().min(1).max(100) }),
      body: { raw: 'application/json' },
    },
    responses: { 200: z.object({ status: z.enum(['recorded', 'ignored', 'duplicate']) }) },
    errors: {
      401: 'The signature or token does not prove the provider',
      404: 'No such integration',
      413: 'The body is too large',
      415: 'The body is not JSON',
    },
    throttle: { rateLimit: 50, burstLimit: 100 },
  }),
] as const;

const hostedPageQuery = z.object({
  lang: z.string().optional().describe('ru or en; the browser’s preferred language otherwise'),
  t: z.string().optional().describe("An invitation's signed token"),
  score: z.string().optional().describe('A score picked from an e-mail'),
});

/**
 * Served to browsers by the pages function: the widget script, the demo page, hosted survey pages (navigations and
 * their own form posts, so no CORS), the survey's public definition (read by widgets on other sites: CORS per
 * survey, as for the public routes) and this API's OpenAPI document.
 */
export const collectionPageRoutes = [
  defineRoute({
    method: 'GET',
    path: '/widget.js',
    auth: 'public',
    summary: 'The survey widget, one script tag',
    responses: {
      200: { mediaType: 'application/javascript', description: 'The widget' },
      304: noContent('Not modified (If-None-Match)'),
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/demo',
    auth: 'public',
    summary: 'A shop page with the widget, for trying a survey',
    request: { query: z.object({ survey: z.string().optional(), lang: z.string().optional() }) },
    responses: { 200: htmlPage('The demo page') },
  }),
  defineRoute({
    method: 'GET',
    path: '/s/{surveyId}',
    auth: 'public',
    summary: 'The hosted survey page',
    request: { query: hostedPageQuery },
    responses: {
      200: htmlPage('The survey'),
      403: htmlPage('Invalid link'),
      404: htmlPage('No such survey'),
      410: htmlPage('Closed'),
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/s/{surveyId}',
    auth: 'public',
    summary: "The hosted page's own form post (same origin only)",
    request: { query: hostedPageQuery, body: { raw: 'application/x-www-form-urlencoded' } },
    responses: { 200: z.object({ thankYou: z.string() }) },
    errors: { 403: 'Another origin', 413: 'The form is too large', 415: 'Not a form' },
    throttle: browserThrottle,
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/surveys/{surveyId}/public',
    auth: 'public',
    summary: "A survey's public definition: what the widget shows",
    request: { path: surveyPath },
    responses: { 200: z.object({ id: z.string(), type: z.enum(surveyTypes), active: z.boolean() }) },
    errors: { 404: 'No such survey' },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/openapi.json',
    auth: 'public',
    summary: 'This document',
    responses: { 200: z.object({ openapi: z.string() }) },
  }),
] as const;
