import { BusinessMetrics, countMetric, documentClient, eventPublisher, httpRoutes, json } from '@cxloop/lambda-kit';
import { publicApiEnvironment } from '../environment';
import { collectionPublicRoutes } from '../routes';
import { rateLimiter } from '../store/rate-limits';
import { respondentStore } from '../store/respondents';
import { responseStore } from '../store/responses';
import { surveyStore } from '../store/surveys';
import { askRespondent } from '../use-cases/ask-respondent';
import { openIdentitySecret } from '../use-cases/manage-surveys';
import { submitResponse } from '../use-cases/submit-response';
import { preflightHeaders, withSurveyCors } from './cors';
import { collectionErrors } from './http-errors';
import { retentionPolicyIn, secretBoxFrom, surveysPerInvocation } from './shared';

const env = publicApiEnvironment.read();
const tableName = env.TABLE_NAME;
const db = documentClient();
const secretBox = secretBoxFrom(env.SECRETS_KEY_SECRET_ID);
const storedSurveys = surveyStore(db, tableName);
const surveys = surveysPerInvocation(storedSurveys);
const shared = {
  surveys,
  identitySecret: (surveyId: string) => openIdentitySecret({ surveys: storedSurveys, secretBox }, surveyId),
  respondents: respondentStore(db, tableName),
  rateLimiter: rateLimiter(db, tableName),
  retentionPolicy: retentionPolicyIn(db, tableName),
};
const responses = responseStore(db, tableName);
const publish = eventPublisher(env.EVENT_BUS_NAME);

const preflight = async () => ({ statusCode: 204, headers: preflightHeaders });

const router = httpRoutes(
  collectionPublicRoutes,
  {
    'POST /v1/surveys/{surveyId}/responses': async ({ event, path, body, causation, now }) => {
      const { response, outcome } = await submitResponse(
        { ...shared, responses, publish },
        { surveyId: path.surveyId, input: body, clientIp: event.requestContext.http.sourceIp, causation, now },
      );
      if (outcome === 'created') countMetric(BusinessMetrics.responsesReceived);
      return json(outcome === 'created' ? 201 : 200, {
        responseId: response.responseId,
        feedbackId: response.feedbackId,
        revision: response.revision,
        outcome,
      });
    },
    'OPTIONS /v1/surveys/{surveyId}/responses': preflight,
    'POST /v1/surveys/{surveyId}/asks': async ({ event, path, body, now }) => {
      const decision = await askRespondent(
        { ...shared, random: Math.random },
        { surveyId: path.surveyId, respondent: body.respondent, clientIp: event.requestContext.http.sourceIp, now },
      );
      return json(200, decision);
    },
    'OPTIONS /v1/surveys/{surveyId}/asks': preflight,
  },
  { errors: collectionErrors, metrics: [BusinessMetrics.responsesReceived] },
);

export const handler = withSurveyCors(router, surveys);
