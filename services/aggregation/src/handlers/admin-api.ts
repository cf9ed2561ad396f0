import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { documentClient, httpRoutes, json } from '@cxloop/lambda-kit';
import { adminApiEnvironment } from '../environment';
import { aggregationAdminRoutes } from '../routes';
import { aggregationStores } from '../store';
import { configureSurvey } from '../use-cases/configure-survey';
import { rebuildProgress, startRebuild } from '../use-cases/rebuild';
import { aggregationErrors } from './http-errors';

const env = adminApiEnvironment.read();
const stores = aggregationStores(documentClient(), env.TABLE_NAME);
const rebuildQueueUrl = env.REBUILD_QUEUE_URL;
const sqs = new SQSClient({});

export const handler = httpRoutes(
  aggregationAdminRoutes,
  {
    'PUT /v1/aggregation/surveys/{surveyId}/config': async ({ path, body }) =>
      json(200, await configureSurvey(stores.surveys, path.surveyId, body)),

    'POST /v1/aggregation/surveys/{surveyId}/rebuild': async ({ path, now }) => {
      const job = await startRebuild(stores, path.surveyId, now);
      // Handing the same survey to the worker twice is harmless: only one worker advances a page.
      await sqs.send(
        new SendMessageCommand({ QueueUrl: rebuildQueueUrl, MessageBody: JSON.stringify({ surveyId: path.surveyId }) }),
      );
      return json(202, rebuildProgress(job));
    },
  },
  { errors: aggregationErrors },
);
