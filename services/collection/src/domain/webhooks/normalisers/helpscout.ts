import * as z from 'zod';
import {
  bodyDigest,
  cleanText,
  finishFeedback,
  isoFromDateString,
  type NormaliseContext,
  parsePayload,
  respondentId,
  scoreOnScale,
  validEmail,
  type WebhookNormalisation,
} from '../feedback';

const ratingEvent = 'satisfaction.ratings';

/** Help Scout's three faces onto a 1..3 scale, keeping the word as the original. */
const ratingValues: Record<string, number> = { bad: 1, okay: 2, great: 3 };

const ratingSchema = z.object({
  id: z.union([z.number(), z.string().min(1)]),
  customer: z
    .object({
      id: z.union([z.number(), z.string()]).nullish(),
      emails: z.array(z.object({ value: z.string() })).nullish(),
    })
    .nullish(),
  ticketId: z.union([z.number(), z.string()]).nullish(),
  threadId: z.union([z.number(), z.string()]).nullish(),
  mailbox: z.object({ id: z.union([z.number(), z.string()]) }).nullish(),
  rating: z.string().refine((rating) => Object.hasOwn(ratingValues, rating.toLowerCase()), 'Great, Okay or Bad'),
  comments: z.string().nullish(),
  createdAt: z.string(),
  modifiedAt: z.string().nullish(),
});

/** Help Scout names the event in a header and sends no delivery id, so the body digest de-duplicates retries. */
export function normaliseHelpScout(
  body: unknown,
  headers: Record<string, string | undefined>,
  context: NormaliseContext,
): WebhookNormalisation {
  const deliveryId = bodyDigest(body);
  const event = headers['x-helpscout-event'];
  if (event !== ratingEvent) {
    return { kind: 'ignored', deliveryId, reason: `Help Scout event ${event ?? '(none)'} is not feedback` };
  }
  const rating = parsePayload(ratingSchema, body, 'Help Scout rating');
  const ratingId = String(rating.id);
  const id = respondentId(rating.customer?.id);
  const email = rating.customer?.emails?.map((entry) => validEmail(entry.value)).find(Boolean);
  const externalIds: Record<string, string> = { rating: ratingId };
  if (rating.ticketId != null) externalIds.conversation = String(rating.ticketId);
  if (rating.threadId != null) externalIds.thread = String(rating.threadId);
  if (rating.mailbox) externalIds.mailbox = String(rating.mailbox.id);
  const item = finishFeedback({
    externalKey: `helpscout:rating:${ratingId}`,
    source: 'helpscout',
    channel: 'helpdesk',
    integrationId: context.integrationId,
    kind: 'csat',
    score: scoreOnScale(ratingValues[rating.rating.toLowerCase()] ?? Number.NaN, { min: 1, max: 3 }, rating.rating),
    text: cleanText(rating.comments),
    respondent: {
      ...(id ? { id, verified: true } : { verified: false }),
      ...(email ? { email, emailVerified: true } : {}),
    },
    externalIds,
    occurredAt: isoFromDateString(rating.modifiedAt ?? rating.createdAt, 'modifiedAt'),
  });
  return { kind: 'feedback', deliveryId, items: [item] };
}
