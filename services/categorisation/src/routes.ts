/**
 * HTTP routes of the categorisation service: the CDK app creates exactly these, the admin handler implements exactly
 * these, the OpenAPI document and the dashboard's types are derived from them.
 */
import { intentLabels, sentimentLabels } from '@cxloop/events';
import { defineRoute, jsonObject, pageOf, pageQuery } from '@cxloop/http-contracts';
import * as z from 'zod';
import { correctionBodySchema } from './domain/corrections';
import { taxonomyBodySchema } from './domain/taxonomy';

const topicId = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a topic id');
const feedbackPath = z.object({ feedbackId: z.string().min(1).max(200) });
const dayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const DAY_MS = 86_400_000;
/** A stored taxonomy version is one DynamoDB item (at most 400 KB with its attributes). */
const MAX_TAXONOMY_BYTES = 350 * 1024;

const versionMeta = {
  version: z.number(),
  active: z.boolean(),
  builtIn: z.boolean().optional(),
  createdAt: z.string().optional(),
  createdBy: z.string().optional(),
};
/** A taxonomy version; the dashboard reads the topics' names per language. */
export const taxonomyAnswerSchema = z.object({
  ...versionMeta,
  taxonomy: z.object({
    topics: z.array(z.object({ id: z.string(), names: z.record(z.string(), z.string()) })).readonly(),
  }),
});

const categorisation = z.object({
  feedbackId: z.string(),
  revision: z.number(),
  surveyId: z.string().optional(),
  kind: z.string(),
  score: z.number().optional(),
  text: z.string().optional(),
  occurredAt: z.string(),
  categorisation: jsonObject,
});

const getTaxonomy = defineRoute({
  method: 'GET',
  path: '/v1/taxonomy',
  auth: 'admin',
  summary: 'The active taxonomy: its topics, their names per language and their cues',
  responses: { 200: taxonomyAnswerSchema },
});

const putTaxonomy = defineRoute({
  method: 'PUT',
  path: '/v1/taxonomy',
  auth: 'admin',
  summary: 'Stores a taxonomy as the next version and makes it active',
  request: { body: taxonomyBodySchema, maxBodyBytes: MAX_TAXONOMY_BYTES },
  responses: { 201: taxonomyAnswerSchema },
  errors: { 409: 'The version is not the next one, or someone stored it meanwhile' },
});

const listVersions = defineRoute({
  method: 'GET',
  path: '/v1/taxonomy/versions',
  auth: 'admin',
  summary: 'The taxonomy versions, newest first, with their topic ids',
  request: { query: pageQuery() },
  responses: { 200: pageOf(z.object({ ...versionMeta, topics: z.array(z.string()) })) },
});

const getVersion = defineRoute({
  method: 'GET',
  path: '/v1/taxonomy/versions/{version}',
  auth: 'admin',
  summary: 'One taxonomy version',
  request: { path: z.object({ version: z.coerce.number().int().positive() }) },
  responses: { 200: taxonomyAnswerSchema },
  errors: { 404: 'No such version' },
});

const recategorise = defineRoute({
  method: 'POST',
  path: '/v1/taxonomy/recategorise',
  auth: 'admin',
  summary: 'Re-categorises stored feedback with the active taxonomy, in the background',
  responses: { 202: z.object({ correlationId: z.string(), taxonomyVersion: z.number() }) },
});

const listCategorisations = defineRoute({
  method: 'GET',
  path: '/v1/categorisations',
  auth: 'admin',
  summary: 'Categorised feedback, newest first, by topic, sentiment, intent and time',
  request: {
    query: pageQuery()
      .extend({
        topic: topicId.optional(),
        sentiment: z.enum(sentimentLabels).optional(),
        intent: z.enum(intentLabels).optional(),
        /** A day (UTC) or an instant; the day of `to` is included, an instant `to` is not. */
        from: dayOrInstant.optional(),
        to: dayOrInstant.optional(),
      })
      .transform(({ from, to, ...query }) => ({
        ...query,
        ...(from ? { occurredFrom: new Date(from) } : {}),
        ...(to
          ? {
              occurredBefore: new Date(new Date(to).getTime() + (z.iso.date().safeParse(to).success ? DAY_MS : 0)),
            }
          : {}),
      }))
      .refine((query) => !query.occurredFrom || !query.occurredBefore || query.occurredFrom < query.occurredBefore, {
        message: 'must be after from',
        path: ['to'],
      }),
  },
  responses: { 200: pageOf(categorisation) },
});

const getCategorisation = defineRoute({
  method: 'GET',
  path: '/v1/feedback/{feedbackId}/categorisation',
  auth: 'admin',
  summary: "A feedback's categorisation, and the team's correction of it",
  request: { path: feedbackPath },
  responses: { 200: categorisation.extend({ correction: jsonObject.nullable() }) },
  errors: { 404: 'The feedback was not categorised' },
});

const correct = defineRoute({
  method: 'PUT',
  path: '/v1/feedback/{feedbackId}/categorisation',
  auth: 'admin',
  summary: "Corrects a feedback's topics, sentiment or intent; the correction trains the model",
  request: { path: feedbackPath, body: correctionBodySchema },
  responses: { 200: jsonObject },
  errors: { 404: 'The feedback was not categorised' },
});

const listCorrections = defineRoute({
  method: 'GET',
  path: '/v1/categorisation/corrections',
  auth: 'admin',
  summary: 'The corrections, newest first',
  request: { query: pageQuery() },
  responses: {
    200: pageOf(
      z.object({
        correction: z.object({ feedbackId: z.string() }),
        revision: z.number(),
        text: z.string().optional(),
        languageHint: z.string().optional(),
      }),
    ),
  },
});

export const categorisationAdminRoutes = [
  getTaxonomy,
  putTaxonomy,
  listVersions,
  getVersion,
  recategorise,
  listCategorisations,
  getCategorisation,
  correct,
  listCorrections,
] as const;
