import { BusinessMetrics, countMetric, documentClient, httpRoutes, json } from '@cxloop/lambda-kit';
import { importApiEnvironment } from '../environment';
import { collectionImportRoutes } from '../routes';
import { importResponses } from '../use-cases/import-responses';
import { collectionErrors } from './http-errors';
import { responseWriting } from './shared';

const env = importApiEnvironment.read();
const db = documentClient();
const deps = responseWriting(db, env);

export const handler = httpRoutes(
  collectionImportRoutes,
  {
    'POST /v1/surveys/{surveyId}/imports': async ({ path, body, causation, now }) => {
      const rows = await importResponses(deps, { surveyId: path.surveyId, batch: body, causation, now });
      const count = (status: (typeof rows)[number]['status']) => rows.filter((row) => row.status === status).length;
      countMetric(BusinessMetrics.responsesReceived, count('imported'));
      return json(200, {
        imported: count('imported'),
        duplicates: count('duplicate'),
        rejected: count('rejected'),
        rows,
      });
    },
  },
  { errors: collectionErrors, metrics: [BusinessMetrics.responsesReceived] },
);
