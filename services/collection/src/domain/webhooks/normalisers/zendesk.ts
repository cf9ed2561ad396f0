import { bodyDigest, type NormaliseContext, type WebhookNormalisation } from '../feedback';
import { defaultFieldMappings, type FieldMapping, readText } from '../field-mapping';
import { normaliseTemplate } from './template';

const eventTypePrefix = 'zen:event-type:';

/**
 * Zendesk sends two kinds of body: the fixed envelope of webhooks subscribed to Zendesk events (`type`
 * `zen:event-type:…`, none of which carries a CSAT answer), and whatever the admin's trigger or automation template
 * says, which is where satisfaction ratings come from.
 */
export function normaliseZendesk(
  body: unknown,
  headers: Record<string, string | undefined>,
  mapping: FieldMapping | undefined,
  context: NormaliseContext,
): WebhookNormalisation {
  const eventType = readText(body, '/type');
  if (eventType?.startsWith(eventTypePrefix)) {
    return { kind: 'ignored', deliveryId: readText(body, '/id'), reason: `Zendesk event ${eventType} is not feedback` };
  }
  const effectiveMapping: FieldMapping = mapping ?? defaultFieldMappings.zendesk;
  // The invocation id is the same for every retry of one trigger firing.
  const deliveryId =
    readText(body, effectiveMapping.eventId) ?? headers['x-zendesk-webhook-invocation-id'] ?? bodyDigest(body);
  return normaliseTemplate({ source: 'zendesk', body, mapping: effectiveMapping, deliveryId, signed: true }, context);
}
