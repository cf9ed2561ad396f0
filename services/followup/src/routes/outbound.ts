/** Admin routes of the outbound delivery: channel settings and the message log. */
import { defineRoute, jsonObject, pageOf, pageQuery } from '@cxloop/http-contracts';
import * as z from 'zod';
import { channelNames } from '../domain/channel-settings';
import { messageStatuses } from '../domain/message-log';

const message = z.object({
  messageId: z.string(),
  status: z.enum(messageStatuses),
  channel: z.enum(channelNames).optional(),
  purpose: z.string(),
});
const settings = jsonObject.describe('The settings per channel, secrets redacted');

export const outboundAdminRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/followup-channels',
    auth: 'admin',
    summary: 'The channel settings (e-mail, webhooks, chat), secrets redacted',
    responses: { 200: settings },
    errors: { 409: 'The stored settings are broken (PUT replaces them)' },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/followup-channels',
    auth: 'admin',
    summary: 'Changes the channel settings; redacted secrets sent back keep their stored values',
    request: { body: z.record(z.string(), z.unknown()) },
    responses: { 200: settings },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/messages',
    auth: 'admin',
    summary: 'The message log: what was sent to whom through which channel, and what became of it',
    request: {
      query: pageQuery().extend({
        caseId: z.string().min(1).max(200).optional(),
        status: z.enum(messageStatuses).optional(),
        channel: z.enum(channelNames).optional(),
      }),
    },
    responses: { 200: pageOf(message) },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/messages/{messageId}',
    auth: 'admin',
    summary: 'One message of the log',
    request: { path: z.object({ messageId: z.string().regex(/^[A-Za-z0-9_-]{1,160}$/) }) },
    responses: { 200: message },
    errors: { 404: 'No such message' },
  }),
] as const;
