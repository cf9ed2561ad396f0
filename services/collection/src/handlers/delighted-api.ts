import {
  BusinessMetrics,
  countMetric,
  delightedPageLink,
  documentClient,
  httpRoutes,
  json,
  requestUrl,
} from '@cxloop/lambda-kit';
import { delightedResponseView, delightedSelection } from '../domain/delighted';
import { delightedApiEnvironment } from '../environment';
import { collectionDelightedRoutes } from '../routes';
import { createDelightedResponse, listDelightedResponses } from '../use-cases/delighted-responses';
import { collectionErrors } from './http-errors';
import { responseWriting } from './shared';

const env = delightedApiEnvironment.read();
const db = documentClient();
const deps = responseWriting(db, env);

/** Where a response's permalink points: the list it is part of, on the host the client called. */
const permalinkBase = (event: Parameters<typeof requestUrl>[0]) => requestUrl(event, {}).replace(/(\.json)?\?.*$/, '');

export const handler = httpRoutes(
  collectionDelightedRoutes,
  {
    'POST /delighted/v1/survey_responses': async ({ event, body, principal, causation, now }) => {
      const response = await createDelightedResponse(deps, { surveyId: principal.surveyId, body, causation, now });
      countMetric(BusinessMetrics.responsesReceived);
      return json(201, delightedResponseView(response, { expand: [], permalinkBase: permalinkBase(event) }));
    },
    'GET /delighted/v1/survey_responses': async ({ event, query, principal }) => {
      const page = await listDelightedResponses(deps, delightedSelection(principal.surveyId, query));
      const expand = [...(query['expand[]'] ?? []), ...(query.expand ?? [])];
      const views = page.responses.map((response) =>
        delightedResponseView(response, { expand, permalinkBase: permalinkBase(event) }),
      );
      return json(200, views, delightedPageLink(event, query, page.hasMore));
    },
  },
  { errors: collectionErrors, metrics: [BusinessMetrics.responsesReceived] },
);
