import {
  decodeCursor,
  documentClient,
  encodeCursor,
  httpRouter,
  json,
  NotFoundError,
  parseBody,
  parsePath,
  parseQuery,
  type RouteHandler,
  requiredEnv,
  requirePrincipal,
} from '@cxloop/lambda-kit';
import { ulid } from 'ulid';
import { z } from 'zod';
import { createSurveySchema, newSurvey } from '../domain/surveys';
import type { CollectionAdminRoute } from '../routes';
import { surveyStore } from '../store/surveys';

const surveys = surveyStore(documentClient(), requiredEnv('TABLE_NAME'));

const surveyPath = z.object({ surveyId: z.string().min(1).max(100) });
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
});

const routes: Record<CollectionAdminRoute, RouteHandler> = {
  'POST /v1/surveys': async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const survey = newSurvey(parseBody(event, createSurveySchema), `srv_${ulid()}`, now);
    await surveys.create(survey);
    return json(201, survey);
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
};

export const handler = httpRouter(routes);
