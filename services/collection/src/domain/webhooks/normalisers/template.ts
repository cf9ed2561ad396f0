import {
  cleanText,
  finishFeedback,
  isoFromDateString,
  localeHint,
  type NormaliseContext,
  respondentId,
  validEmail,
  type WebhookNormalisation,
  WebhookPayloadError,
} from '../feedback';
import { type FieldMapping, readText, resolvePointer, scoreFromValue } from '../field-mapping';

export interface TemplateDelivery {
  source: 'zendesk' | 'freshdesk';
  body: unknown;
  mapping: FieldMapping;
  deliveryId: string;
  /** Whether the delivery was signed, which makes the mapped requester id proven. */
  signed: boolean;
}

/** Normalises a payload written by an admin from helpdesk placeholders, read through the integration's mapping. */
export function normaliseTemplate(delivery: TemplateDelivery, context: NormaliseContext): WebhookNormalisation {
  const { source, body, mapping, deliveryId } = delivery;
  if (!mapping.ticketId) throw new WebhookPayloadError(`the ${source} mapping has no ticketId`);
  const ticketId = readText(body, mapping.ticketId);
  if (!ticketId) throw new WebhookPayloadError(`the ${source} payload has no ticket id at the mapped path`);

  const score =
    mapping.score && mapping.scale ? scoreFromValue(resolvePointer(body, mapping.score), mapping.scale) : undefined;
  const text = cleanText(readText(body, mapping.comment));
  if (!score && !text) return { kind: 'ignored', deliveryId, reason: 'the payload has neither a score nor a comment' };

  const occurredAt = readText(body, mapping.occurredAt);
  const id = respondentId(readText(body, mapping.respondentId));
  const email = validEmail(readText(body, mapping.respondentEmail));
  const locale = localeHint(readText(body, mapping.locale));
  const item = finishFeedback({
    externalKey: `${source}:ticket:${ticketId}`,
    source,
    channel: 'helpdesk',
    integrationId: context.integrationId,
    kind: score && mapping.scale ? mapping.scale.kind : 'text',
    score,
    text,
    languageHint: locale,
    respondent: {
      ...(id ? { id, verified: delivery.signed } : { verified: false }),
      ...(email ? { email, emailVerified: delivery.signed } : {}),
      ...(locale ? { locale } : {}),
    },
    externalIds: { ticket: ticketId },
    occurredAt: occurredAt ? isoFromDateString(occurredAt, 'occurredAt') : context.receivedAt.toISOString(),
  });
  return { kind: 'feedback', deliveryId, items: [item] };
}
