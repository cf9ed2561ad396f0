import {
  ConflictError,
  decodeCursor,
  documentClient,
  encodeCursor,
  httpRouter,
  json,
  NotFoundError,
  parseBody,
  parseOrBadRequest,
  parsePath,
  parseQuery,
  type RouteHandler,
  requirePrincipal,
} from '@cxloop/lambda-kit';
import * as z from 'zod';
import {
  type ChannelSettings,
  channelNames,
  channelSettingsUpdateSchema,
  redactChannelSettings,
} from '../domain/channel-settings';
import { type MessageRecord, messageStatuses } from '../domain/message-log';
import { outboundUrlPolicyOf } from '../domain/url-policy';
import { messagesApiEnvironment } from '../environment';
import type { OutboundAdminRoute } from '../routes/outbound';
import { channelSettingsStore, InvalidStoredSettingsError } from '../store/channel-settings';
import { messageStore } from '../store/messages';

const env = messagesApiEnvironment.read();
const messages = messageStore(documentClient(), env.TABLE_NAME);
const urlPolicy = outboundUrlPolicyOf(process.env);
const settings = channelSettingsStore(env.CHANNEL_SETTINGS_SECRET_ID, urlPolicy);

/** The stored settings; a document broken by hand is a 409 naming the fields (PUT replaces it). */
async function currentSettings(): Promise<ChannelSettings> {
  try {
    return await settings.read();
  } catch (error) {
    if (error instanceof InvalidStoredSettingsError) throw new ConflictError(error.message);
    throw error;
  }
}

const listQuery = z.object({
  caseId: z.string().min(1).max(200).optional(),
  status: z.enum(messageStatuses).optional(),
  channel: z.enum(channelNames).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
});
const messagePath = z.object({ messageId: z.string().regex(/^[A-Za-z0-9_-]{1,160}$/) });

/** The log entry as the API shows it (the claim's internals left out). */
function publicMessage({ leaseId: _leaseId, leaseUntil: _leaseUntil, ...message }: MessageRecord) {
  return message;
}

const routes: Record<OutboundAdminRoute, RouteHandler> = {
  'GET /v1/followup-channels': async ({ event }) => {
    requirePrincipal(event, 'admin');
    return json(200, redactChannelSettings(await currentSettings()));
  },
  'PUT /v1/followup-channels': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const input = parseBody(event, z.record(z.string(), z.unknown()));
    const current = await currentSettings().catch((error: unknown) => {
      if (error instanceof ConflictError) return {};
      throw error;
    });
    const next = parseOrBadRequest(channelSettingsUpdateSchema(current, urlPolicy), input, 'body');
    await settings.write(next);
    return json(200, redactChannelSettings(next));
  },
  'GET /v1/messages': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const query = parseQuery(event, listQuery);
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
  'GET /v1/messages/{messageId}': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const { messageId } = parsePath(event, messagePath);
    const found = await messages.get(messageId);
    if (!found) throw new NotFoundError(`Message ${messageId} does not exist`);
    return json(200, publicMessage(found));
  },
};

export const handler = httpRouter(routes);
