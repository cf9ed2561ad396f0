import { httpRoutes, type RequestContext, secretText } from '@cxloop/lambda-kit';
import { personKeyOfUnsubscribeToken } from '../domain/messages';
import {
  isOneClickBody,
  type UnsubscribePageState,
  unsubscribePage,
  unsubscribePageLocale,
} from '../domain/unsubscribe-page';
import { unsubscribePageEnvironment } from '../environment';
import { unsubscribePageRoutes } from '../routes/people';
import { unsubscribe } from '../use-cases/unsubscribe';
import { invitationStores, schedulesFromEnv } from './invitation-deps';

const env = unsubscribePageEnvironment.read();
const deps = { ...invitationStores(env.TABLE_NAME), schedules: schedulesFromEnv(env) };
const unsubscribeKey = secretText(env.UNSUBSCRIBE_KEY_SECRET_ID);
const MAX_TOKEN_LENGTH = 1024;
const MAX_BODY_BYTES = 4096;

const page = ({ event }: RequestContext, state: UnsubscribePageState) => {
  const lang = new URLSearchParams(event.rawQueryString ?? '').get('lang') ?? undefined;
  const rendered = unsubscribePage(state, unsubscribePageLocale(lang, event.headers?.['accept-language']));
  return { statusCode: rendered.statusCode, headers: rendered.headers, rawBody: rendered.html };
};

/** The person the link's token was made for; undefined for a token this deployment did not sign. */
async function personKeyOf({ event }: RequestContext): Promise<string | undefined> {
  const token = event.pathParameters?.token ?? '';
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
  return personKeyOfUnsubscribeToken(token, Buffer.from(await unsubscribeKey(), 'utf8'));
}

export const handler = httpRoutes(unsubscribePageRoutes, {
  // Never unsubscribes by itself: link scanners and previews follow GET links.
  'GET /u/{token}': async (request) => page(request, (await personKeyOf(request)) ? 'confirm' : 'invalid'),
  // RFC 8058 one-click (`List-Unsubscribe=One-Click` from a mail client) and the confirmation page's button alike.
  'POST /u/{token}': async (request) => {
    const { event, now } = request;
    const raw = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
    if (raw.length > MAX_BODY_BYTES || !isOneClickBody(raw.toString('utf8'))) return page(request, 'invalid');
    const personKey = await personKeyOf(request);
    if (!personKey) return page(request, 'invalid');
    await unsubscribe(deps, personKey, 'one_click_link', now);
    return page(request, 'done');
  },
});
