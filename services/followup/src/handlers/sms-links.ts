import { documentClient, httpRoutes } from '@cxloop/lambda-kit';
import { invitationIdOfShortCode } from '../domain/sms';
import { surveyLinkValid } from '../domain/survey-links';
import { smsLinksEnvironment } from '../environment';
import { smsLinkRoutes } from '../routes/sms';
import { invitationStore } from '../store/invitations';
import { currentRetention } from '../store/privacy';
import { signedSurveyLinksFromEnv } from './invitation-deps';

const env = smsLinksEnvironment.read();
const db = documentClient();
const invitations = invitationStore(db, env.TABLE_NAME, currentRetention(db, env.TABLE_NAME));
const signedSurveyLink = signedSurveyLinksFromEnv(env);

const notFound = {
  statusCode: 404,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  rawBody:
    '<!doctype html><html><head><meta charset="utf-8"><title>Link expired</title></head><body>' +
    '<p lang="ru">Ссылка устарела или недействительна.</p><p lang="en">This link has expired or is not valid.</p>' +
    '</body></html>',
};

/**
 * The short link of an SMS invitation (`/i/<code>`, the invitation id packed): while the invitation is sent and
 * within its link's validity, a redirect to the signed hosted-page link an e-mail would carry, made now.
 */
export const handler = httpRoutes(smsLinkRoutes, {
  'GET /i/{code}': async ({ path, now }) => {
    const invitationId = invitationIdOfShortCode(path.code);
    const invitation = invitationId ? await invitations.get(invitationId) : undefined;
    if (invitation?.channel !== 'sms' || !surveyLinkValid(invitation, now)) return notFound;
    const location = await signedSurveyLink(invitation);
    return { statusCode: 302, headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
  },
});
