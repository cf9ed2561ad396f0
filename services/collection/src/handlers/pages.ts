import { createHash, randomBytes } from 'node:crypto';
import {
  documentClient,
  eventPublisher,
  HttpError,
  type HttpEvent,
  httpRoutes,
  json,
  NotFoundError,
  PayloadTooLargeError,
  parseOrBadRequest,
  parsePath,
  requireContentType,
  secretText,
  toHttpError,
} from '@cxloop/lambda-kit';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import openApiDocument from '../../generated/openapi.json';
import { widgetScript } from '../../widget/generated/bundles';
import { localised, type UiLanguage, uiLanguage, uiText } from '../../widget/src/i18n';
import { InvalidInvitationError, type Invitation, invitationResponseId, openInvitation } from '../domain/invitations';
import { type PublicSurvey, publicSurvey } from '../domain/public-survey';
import { responseInputSchema } from '../domain/responses';
import { pagesEnvironment } from '../environment';
import { demoPage } from '../pages/demo-page';
import { answerFromForm, type HostedAnswer, messagePage, surveyPage } from '../pages/hosted-page';
import type { RenderedPage } from '../pages/html';
import { collectionPageRoutes } from '../routes';
import { rateLimiter } from '../store/rate-limits';
import { respondentStore } from '../store/respondents';
import { responseStore } from '../store/responses';
import { surveyStore } from '../store/surveys';
import { openIdentitySecret } from '../use-cases/manage-surveys';
import { submitResponse } from '../use-cases/submit-response';
import { requireSameOrigin, withSurveyCors } from './cors';
import { collectionErrors } from './http-errors';
import { retentionPolicyIn, secretBoxFrom, surveysPerInvocation } from './shared';

const env = pagesEnvironment.read();
const tableName = env.TABLE_NAME;
const db = documentClient();
const secretBox = secretBoxFrom(env.SECRETS_KEY_SECRET_ID);
const storedSurveys = surveyStore(db, tableName);
const surveys = surveysPerInvocation(storedSurveys);
const identitySecret = (surveyId: string) => openIdentitySecret({ surveys: storedSurveys, secretBox }, surveyId);
const invitationKey = secretText(env.INVITATION_KEY_SECRET_ID);
const submitDeps = {
  surveys,
  identitySecret,
  respondents: respondentStore(db, tableName),
  rateLimiter: rateLimiter(db, tableName),
  responses: responseStore(db, tableName),
  publish: eventPublisher(env.EVENT_BUS_NAME),
  retentionPolicy: retentionPolicyIn(db, tableName),
};

const surveyPath = z.object({ surveyId: z.string().min(1).max(100) });
const MAX_FORM_BYTES = 16 * 1024;
const widgetEtag = `"${createHash('sha256').update(widgetScript).digest('hex').slice(0, 32)}"`;

const query = (event: HttpEvent) => new URLSearchParams(event.rawQueryString ?? '');

/** `?lang=` first, then the browser's preferred language. */
const pageLanguage = (event: HttpEvent): UiLanguage =>
  uiLanguage(query(event).get('lang'), event.headers?.['accept-language']);

function formBody(event: HttpEvent): URLSearchParams {
  const raw = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  if (raw.length > MAX_FORM_BYTES) throw new PayloadTooLargeError(MAX_FORM_BYTES);
  return new URLSearchParams(raw.toString('utf8'));
}

interface HostedSurvey {
  survey: PublicSurvey;
  invitation?: Invitation;
}

/** The survey a hosted page shows, and the invitation its link carries; an error page when it cannot be answered. */
async function hostedSurvey(event: HttpEvent, lang: UiLanguage, now: Date): Promise<HostedSurvey | RenderedPage> {
  const t = uiText[lang];
  const { surveyId } = parsePath(event, surveyPath);
  const stored = await surveys.get(surveyId);
  if (!stored) return messagePage(lang, t.notFound, 404);
  const survey = publicSurvey(stored);
  if (!survey.active) return messagePage(lang, t.closed, 410);
  const token = query(event).get('t');
  if (!token) return { survey };
  const [secret, deploymentKey] = await Promise.all([identitySecret(surveyId), invitationKey()]);
  try {
    // Signed by whoever holds the survey's identity secret, or by the follow-up service with the invitation key.
    const invitation = openInvitation([secret ?? '', deploymentKey], surveyId, token, now);
    return { survey, invitation };
  } catch (error) {
    if (error instanceof InvalidInvitationError) return messagePage(lang, t.invalidLink, 403);
    throw error;
  }
}

const isPage = (value: HostedSurvey | RenderedPage): value is RenderedPage => 'rawBody' in value;

const router = httpRoutes(
  collectionPageRoutes,
  {
    'GET /widget.js': async ({ event }) => {
      const headers = {
        'content-type': 'application/javascript; charset=utf-8',
        'cache-control': 'public, max-age=3600',
        etag: widgetEtag,
        'access-control-allow-origin': '*',
        'x-content-type-options': 'nosniff',
      };
      if (event.headers?.['if-none-match'] === widgetEtag) return { statusCode: 304, headers, rawBody: '' };
      return { statusCode: 200, headers, rawBody: widgetScript };
    },
    'GET /demo': async ({ event }) => demoPage(pageLanguage(event), query(event).get('survey') ?? undefined),
    'GET /s/{surveyId}': async ({ event, now }) => {
      const lang = pageLanguage(event);
      const hosted = await hostedSurvey(event, lang, now);
      if (isPage(hosted)) return hosted;
      const token = query(event).get('t');
      const score = query(event).get('score') ?? '';
      const answer: HostedAnswer = {
        responseId: token ? invitationResponseId(token) : `h-${randomBytes(16).toString('hex')}`,
        // An email can link each score to the page, so that one click picks it.
        ...(/^\d{1,2}$/.test(score) ? { score: Number(score) } : {}),
        answers: [],
      };
      return surveyPage({ survey: hosted.survey, lang, query: query(event), answer });
    },
    'POST /s/{surveyId}': async ({ event, correlationId, requestId, now }) => {
      requireSameOrigin(event, 'A hosted survey page accepts answers only from itself');
      requireContentType(event, 'application/x-www-form-urlencoded');
      const wantsJson = (event.headers?.accept ?? '').includes('application/json');
      const lang = pageLanguage(event);
      const t = uiText[lang];
      const hosted = await hostedSurvey(event, lang, now);
      if (isPage(hosted)) {
        if (wantsJson) throw new HttpError(hosted.statusCode, 'not_answerable', 'This survey cannot be answered here');
        return hosted;
      }
      const { survey, invitation } = hosted;
      const answer = answerFromForm(formBody(event), survey);
      const retry = (error: string, statusCode: number) =>
        surveyPage({ survey, lang, query: query(event), answer, error }, statusCode);
      if (answer.score === undefined && !wantsJson) return retry(t.chooseScore, 400);
      try {
        const input = parseOrBadRequest(
          responseInputSchema,
          {
            ...answer,
            locale: lang,
            channel: invitation?.channel ?? 'link',
          },
          'body',
        );
        await submitResponse(submitDeps, {
          surveyId: survey.id,
          input,
          ...(invitation
            ? {
                invited: {
                  ...(invitation.respondentId ? { respondentId: invitation.respondentId } : {}),
                  ...(invitation.email ? { email: invitation.email } : {}),
                },
              }
            : {}),
          clientIp: event.requestContext.http.sourceIp,
          causation: { correlationId, causationId: requestId },
          now,
        });
      } catch (error) {
        const answer = toHttpError(error, collectionErrors);
        if (wantsJson || !(answer instanceof HttpError) || answer.statusCode >= 500) throw error;
        return retry(t.failed, answer.statusCode);
      }
      const thankYou = localised(survey.thankYou, lang);
      return wantsJson ? json(200, { thankYou }) : messagePage(lang, thankYou);
    },
    'GET /v1/surveys/{surveyId}/public': async ({ path: { surveyId } }) => {
      const survey = await surveys.get(surveyId);
      if (!survey) throw new NotFoundError(`Survey ${surveyId} does not exist`);
      return json(200, publicSurvey(survey), { 'cache-control': 'public, max-age=60' });
    },
    'GET /v1/openapi.json': async () => json(200, openApiDocument, { 'cache-control': 'public, max-age=300' }),
  },
  { errors: collectionErrors },
);
// Widgets on other sites read the definition cross-origin; the pages are navigations and same-origin posts.
const definition = withSurveyCors(router, surveys);

export async function handler(event: HttpEvent, context: Context) {
  if (event.routeKey === 'GET /v1/surveys/{surveyId}/public') return definition(event, context);
  surveys.reset();
  return router(event, context);
}
