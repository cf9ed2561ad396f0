import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  documentClient,
  httpRouter,
  json,
  parseBody,
  parsePath,
  type RouteHandler,
  requiredEnv,
  requirePrincipal,
} from '@cxloop/lambda-kit';
import * as z from 'zod';
import { surveyConfigSchema } from '../domain/survey-config';
import type { AggregationAdminRoute } from '../routes';
import { aggregationStores } from '../store';
import { configureSurvey } from '../use-cases/configure-survey';
import { rebuildProgress, startRebuild } from '../use-cases/rebuild';
import { withServiceErrors } from './http-errors';

const stores = aggregationStores(documentClient(), requiredEnv('TABLE_NAME'));
const rebuildQueueUrl = requiredEnv('REBUILD_QUEUE_URL');
const sqs = new SQSClient({});

const surveyPath = z.object({ surveyId: z.string().min(1).max(100) });

const routes: Record<AggregationAdminRoute, RouteHandler> = {
  'PUT /v1/aggregation/surveys/{surveyId}/config': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const { surveyId } = parsePath(event, surveyPath);
    const config = parseBody(event, surveyConfigSchema);
    return json(200, await configureSurvey(stores.surveys, surveyId, config));
  },

  'POST /v1/aggregation/surveys/{surveyId}/rebuild': withServiceErrors(async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const { surveyId } = parsePath(event, surveyPath);
    const job = await startRebuild(stores, surveyId, now);
    // Handing the same survey to the worker twice is harmless: only one worker advances a page.
    await sqs.send(new SendMessageCommand({ QueueUrl: rebuildQueueUrl, MessageBody: JSON.stringify({ surveyId }) }));
    return json(202, rebuildProgress(job));
  }),
};

export const handler = httpRouter(routes);
