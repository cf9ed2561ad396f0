import {
  decodeCursor,
  documentClient,
  encodeCursor,
  httpRoutes,
  json,
  NotFoundError,
  parseOrBadRequest,
} from '@cxloop/lambda-kit';
import { channelSettingsUpdateSchema, redactChannelSettings } from '../domain/channel-settings';
import type { MessageRecord } from '../domain/message-log';
import { outboundUrlPolicyOf } from '../domain/url-policy';
import { messagesApiEnvironment } from '../environment';
import { outboundAdminRoutes } from '../routes/outbound';
import { channelSettingsStore, InvalidStoredSettingsError } from '../store/channel-settings';
import { messageStore } from '../store/messages';
import { followUpErrors } from './http-errors';

const env = messagesApiEnvironment.read();
const messages = messageStore(documentClient(), env.TABLE_NAME);
const urlPolicy = outboundUrlPolicyOf(process.env);
const settings = channelSettingsStore(env.CHANNEL_SETTINGS_SECRET_ID, urlPolicy);

/** The log entry as the API shows it (the claim's internals left out). */
function publicMessage({ leaseId: _leaseId, leaseUntil: _leaseUntil, ...message }: MessageRecord) {
  return message;
}

export const handler = httpRoutes(
  outboundAdminRoutes,
  {
    'GET /v1/followup-channels': async () => json(200, redactChannelSettings(await settings.read())),
    'PUT /v1/followup-channels': async ({ body }) => {
      const current = await settings.read().catch((error: unknown) => {
        if (error instanceof InvalidStoredSettingsError) return {};
        throw error;
      });
      const next = parseOrBadRequest(channelSettingsUpdateSchema(current, urlPolicy), body, 'body');
      await settings.write(next);
      return json(200, redactChannelSettings(next));
    },
    'GET /v1/messages': async ({ query }) => {
      const cursor = decodeCursor(query.cursor);
      const page = await messages.list({
        limit: query.limit,
        ...(query.caseId ? { caseId: query.caseId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.channel ? { channel: query.channel } : {}),
        ...(cursor ? { cursor } : {}),
      });
      return json(200, { items: page.messages.map(publicMessage), nextCursor: encodeCursor(page.next) ?? null });
    },
    'GET /v1/messages/{messageId}': async ({ path: { messageId } }) => {
      const found = await messages.get(messageId);
      if (!found) throw new NotFoundError(`Message ${messageId} does not exist`);
      return json(200, publicMessage(found));
    },
  },
  { errors: followUpErrors },
);
