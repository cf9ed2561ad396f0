import {
  documentClient,
  eventPublisher,
  httpRouter,
  json,
  parseBody,
  parsePath,
  type RouteHandler,
  requiredEnv,
} from '@cxloop/lambda-kit';
import { z } from 'zod';
import { responseInputSchema } from '../domain/responses';
import type { CollectionPublicRoute } from '../routes';
import { responseStore } from '../store/responses';
import { surveyStore } from '../store/surveys';
import { submitResponse } from '../use-cases/submit-response';

const tableName = requiredEnv('TABLE_NAME');
const deps = {
  surveys: surveyStore(documentClient(), tableName),
  responses: responseStore(documentClient(), tableName),
  publish: eventPublisher(requiredEnv('EVENT_BUS_NAME')),
};

const surveyPath = z.object({ surveyId: z.string().min(1).max(100) });
const MAX_RESPONSE_BYTES = 16 * 1024;

const routes: Record<CollectionPublicRoute, RouteHandler> = {
  'POST /v1/surveys/{surveyId}/responses': async ({ event, correlationId, requestId, now }) => {
    const { surveyId } = parsePath(event, surveyPath);
    const input = parseBody(event, responseInputSchema, MAX_RESPONSE_BYTES);
    const { response, outcome } = await submitResponse(
      deps,
      surveyId,
      input,
      { correlationId, causationId: requestId },
      now,
    );
    return json(outcome === 'created' ? 201 : 200, {
      responseId: response.responseId,
      feedbackId: response.feedbackId,
      revision: response.revision,
      outcome,
    });
  },
};

export const handler = httpRouter(routes);
