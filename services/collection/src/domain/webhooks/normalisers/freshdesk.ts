import { bodyDigest, type NormaliseContext, type WebhookNormalisation } from '../feedback';
import { defaultFieldMappings, type FieldMapping, readText } from '../field-mapping';
import { normaliseTemplate } from './template';

/** Freshdesk automations post whatever JSON the admin wrote; without a mapped event id the body itself is the key. */
export function normaliseFreshdesk(
  body: unknown,
  mapping: FieldMapping | undefined,
  context: NormaliseContext,
): WebhookNormalisation {
  const effectiveMapping: FieldMapping = mapping ?? defaultFieldMappings.freshdesk;
  const deliveryId = readText(body, effectiveMapping.eventId) ?? bodyDigest(body);
  // A shared token proves the sender knows the secret, not that Freshdesk signed the requester id.
  return normaliseTemplate(
    { source: 'freshdesk', body, mapping: effectiveMapping, deliveryId, signed: false },
    context,
  );
}
