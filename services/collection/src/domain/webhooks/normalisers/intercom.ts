import * as z from 'zod';
import {
  cleanText,
  finishFeedback,
  isoFromEpochSeconds,
  type NormaliseContext,
  parsePayload,
  respondentId,
  scoreOnScale,
  validEmail,
  type WebhookNormalisation,
} from '../feedback';

const notificationSchema = z.object({
  type: z.literal('notification_event'),
  id: z.string().min(1),
  topic: z.string().min(1),
  created_at: z.number().optional(),
  data: z.object({ item: z.unknown() }).optional(),
});

const personReferenceSchema = z.object({ id: z.union([z.string(), z.number()]).nullish() }).nullish();

/** The Conversation item of `conversation.rating.added`; `conversation_rating` is Intercom's 1–5 CSAT. */
const ratedConversationSchema = z.object({
  id: z.union([z.string().min(1), z.number()]),
  conversation_rating: z.object({
    rating: z.number().int().min(1).max(5),
    remark: z.string().nullish(),
    created_at: z.number().nullish(),
    contact: personReferenceSchema,
    customer: personReferenceSchema,
  }),
  user: z.object({ id: z.string().nullish(), email: z.string().nullish() }).nullish(),
  links: z.object({ conversation_web: z.url().optional() }).nullish(),
});

export function normaliseIntercom(body: unknown, context: NormaliseContext): WebhookNormalisation {
  const notification = parsePayload(notificationSchema, body, 'Intercom notification');
  if (notification.topic === 'ping')
    return { kind: 'ignored', deliveryId: notification.id, reason: 'ping acknowledged' };
  if (notification.topic !== 'conversation.rating.added') {
    return {
      kind: 'ignored',
      deliveryId: notification.id,
      reason: `Intercom topic ${notification.topic} is not feedback`,
    };
  }
  const conversation = parsePayload(ratedConversationSchema, notification.data?.item, 'Intercom rated conversation');
  const rating = conversation.conversation_rating;
  const conversationId = String(conversation.id);
  const id = respondentId(rating.contact?.id ?? rating.customer?.id ?? conversation.user?.id);
  const email = validEmail(conversation.user?.email);
  const ratedAt = notification.created_at ?? rating.created_at;
  const webLink = conversation.links?.conversation_web;
  const item = finishFeedback({
    externalKey: `intercom:conversation:${conversationId}`,
    source: 'intercom',
    channel: 'helpdesk',
    integrationId: context.integrationId,
    kind: 'csat',
    score: scoreOnScale(rating.rating, { min: 1, max: 5 }),
    text: cleanText(rating.remark),
    respondent: {
      ...(id ? { id, verified: true } : { verified: false }),
      ...(email ? { email, emailVerified: true } : {}),
    },
    externalIds: { conversation: conversationId },
    links: webLink ? [{ rel: 'conversation', url: webLink }] : [],
    occurredAt: ratedAt ? isoFromEpochSeconds(ratedAt) : context.receivedAt.toISOString(),
  });
  return { kind: 'feedback', deliveryId: notification.id, items: [item] };
}
