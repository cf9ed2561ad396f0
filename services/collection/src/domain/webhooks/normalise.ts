import type { WebhookNormalisation } from './feedback';
import type { FieldMapping } from './field-mapping';
import { normaliseDelighted } from './normalisers/delighted';
import { normaliseFreshdesk } from './normalisers/freshdesk';
import { normaliseGoogleBusinessProfilePush } from './normalisers/google-business-profile';
import { normaliseHelpScout } from './normalisers/helpscout';
import { normaliseIntercom } from './normalisers/intercom';
import { normaliseSurveyMonkey } from './normalisers/surveymonkey';
import { normaliseTrustpilot } from './normalisers/trustpilot';
import { normaliseTypeform } from './normalisers/typeform';
import { normaliseZendesk } from './normalisers/zendesk';
import type { WebhookProvider } from './providers';

export interface WebhookDelivery {
  /** The parsed JSON body of a delivery that `verifyWebhook` accepted. */
  body: unknown;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  /** Zendesk and Freshdesk templates (a documented default applies when absent) and Typeform question ids. */
  mapping?: FieldMapping;
  integrationId: string;
  receivedAt: Date;
}

/**
 * Turns a verified delivery into feedback, a request to fetch the response, or a reason to ignore it (unknown event
 * types are ignored, not errors). Throws `WebhookPayloadError` when a body does not have its provider's shape.
 */
export function normaliseWebhook(provider: WebhookProvider, delivery: WebhookDelivery): WebhookNormalisation {
  const { body, headers, mapping } = delivery;
  const context = { integrationId: delivery.integrationId, receivedAt: delivery.receivedAt };
  switch (provider) {
    case 'zendesk':
      return normaliseZendesk(body, headers, mapping, context);
    case 'freshdesk':
      return normaliseFreshdesk(body, mapping, context);
    case 'intercom':
      return normaliseIntercom(body, context);
    case 'helpscout':
      return normaliseHelpScout(body, headers, context);
    case 'trustpilot':
      return normaliseTrustpilot(body, context);
    case 'typeform':
      return normaliseTypeform(body, mapping, context);
    case 'delighted':
      return normaliseDelighted(body, context);
    case 'surveymonkey':
      return normaliseSurveyMonkey(body);
    case 'google_business_profile':
      return normaliseGoogleBusinessProfilePush(body);
  }
}
