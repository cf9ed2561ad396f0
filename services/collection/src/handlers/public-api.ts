import {
  documentClient,
  eventPublisher,
  httpRouter,
  json,
  parseBody,
  parsePath,
  type RouteHandler,
} from '@cxloop/lambda-kit';
import * as z from 'zod';
import { respondentInputSchema } from '../domain/respondents';
import { responseInputSchema } from '../domain/responses';
import { publicApiEnvironment } from '../environment';
import type { CollectionPublicRoute } from '../routes';
import { rateLimiter } from '../store/rate-limits';
import { respondentStore } from '../store/respondents';
import { responseStore } from '../store/responses';
import { surveyStore } from '../store/surveys';
import { askRespondent } from '../use-cases/ask-respondent';
import { openIdentitySecret } from '../use-cases/manage-surveys';
import { submitResponse } from '../use-cases/submit-response';
import { preflightHeaders, withSurveyCors } from './cors';
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

const surveyPath = z.object({ surveyId: z.string().min(1).max(100) });
const askBody = z.object({ respondent: respondentInputSchema });
const MAX_RESPONSE_BYTES = 16 * 1024;
const MAX_ASK_BYTES = 2 * 1024;

const preflight: RouteHandler = async () => ({ statusCode: 204, headers: preflightHeaders });

const routes: Record<CollectionPublicRoute, RouteHandler> = {
  'POST /v1/surveys/{surveyId}/responses': async ({ event, correlationId, requestId, now }) => {
    const { surveyId } = parsePath(event, surveyPath);
    const input = parseBody(event, responseInputSchema, MAX_RESPONSE_BYTES);
    const { response, outcome } = await submitResponse(
      { ...shared, responses, publish },
      {
        surveyId,
        input,
        clientIp: event.requestContext.http.sourceIp,
        causation: { correlationId, causationId: requestId },
        now,
      },
    );
    return json(outcome === 'created' ? 201 : 200, {
      responseId: response.responseId,
      feedbackId: response.feedbackId,
      revision: response.revision,
      outcome,
    });
  },
  'OPTIONS /v1/surveys/{surveyId}/responses': preflight,
  'POST /v1/surveys/{surveyId}/asks': async ({ event, now }) => {
    const { surveyId } = parsePath(event, surveyPath);
    const { respondent } = parseBody(event, askBody, MAX_ASK_BYTES);
    const decision = await askRespondent(
      { ...shared, random: Math.random },
      { surveyId, respondent, clientIp: event.requestContext.http.sourceIp, now },
    );
    return json(200, decision);
  },
  'OPTIONS /v1/surveys/{surveyId}/asks': preflight,
};

export const handler = withSurveyCors(httpRouter(routes), surveys);
