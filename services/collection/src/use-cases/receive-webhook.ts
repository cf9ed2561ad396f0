import { createHash } from 'node:crypto';
import type { Causation } from '@cxloop/events';
import {
  MalformedBodyError,
  StateConflictError,
  UnknownResourceError,
  UnverifiedDeliveryError,
} from '../domain/errors';
import { type PubSubPushIdentity, pubSubPushIdentity } from '../domain/integrations';
import type { SecretBox } from '../domain/secret-box';
import {
  type NormalisedFeedback,
  normaliseGoogleBusinessProfileReview,
  normaliseWebhook,
  providerSchema,
  type VerificationResult,
  verifyWebhook,
  type WebhookNormalisation,
  WebhookPayloadError,
} from '../domain/webhooks';
import { type IntegrationStore, integrationSecretContext } from '../store/integrations';
import type { WebhookDeliveryStore } from '../store/webhook-deliveries';
import { type RecordExternalFeedbackDeps, type RecordedItem, recordExternalFeedback } from './record-external-feedback';

/** Fetches a Business Profile review by its resource name with the integration's Google credentials (JSON). */
export type FetchBusinessProfileReview = (reviewName: string, credentials: string, now: Date) => Promise<unknown>;

/** Proves a Pub/Sub push by its OIDC token (the `Authorization` header), signed for `expected`. */
export type VerifyPubSubPush = (
  authorization: string | undefined,
  expected: PubSubPushIdentity,
  now: Date,
) => Promise<VerificationResult>;

export interface ReceiveWebhookDeps extends RecordExternalFeedbackDeps {
  integrations: Pick<IntegrationStore, 'getWithSecrets'>;
  secretBox: () => Promise<SecretBox>;
  deliveries: WebhookDeliveryStore;
  fetchBusinessProfileReview: FetchBusinessProfileReview;
  verifyPubSubPush: VerifyPubSubPush;
}

export interface ReceivedWebhook {
  provider: string;
  integrationId: string;
  /** The body exactly as received: signatures are checked over these bytes. */
  rawBody: Buffer;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  causation: Causation;
  now: Date;
}

export type WebhookResult =
  | { status: 'recorded'; items: RecordedItem[] }
  | { status: 'ignored'; reason: string }
  | { status: 'duplicate' };

/** Delivery ids are provider-chosen (or mapped from the body); long ones are keyed by their digest. */
function deliveryKey(deliveryId: string): string {
  return deliveryId.length <= 200 ? deliveryId : `sha256:${createHash('sha256').update(deliveryId).digest('hex')}`;
}

function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new MalformedBodyError('invalid_json', 'body: not valid JSON');
  }
}

/**
 * A provider's delivery: proven by its signature (or token) over the raw bytes before anything is parsed or stored,
 * then normalised, de-duplicated on the provider's delivery id and recorded as one feedback per response or review.
 */
export async function receiveWebhook(deps: ReceiveWebhookDeps, request: ReceivedWebhook): Promise<WebhookResult> {
  const provider = providerSchema.safeParse(request.provider);
  const found = provider.success ? await deps.integrations.getWithSecrets(request.integrationId) : undefined;
  if (!provider.success || !found || found.integration.provider !== provider.data) {
    throw new UnknownResourceError(`No ${request.provider} integration ${request.integrationId}`);
  }
  const { integration, sealed } = found;
  if (integration.status !== 'active') throw new UnknownResourceError(`Integration ${integration.id} is disabled`);

  const box = sealed.secret || sealed.credentials ? await deps.secretBox() : undefined;
  const secret = sealed.secret ? box?.open(sealed.secret, integrationSecretContext(integration.id, 'secret')) : '';
  const pushIdentity = pubSubPushIdentity(integration);
  const verification = pushIdentity
    ? await deps.verifyPubSubPush(request.headers.authorization, pushIdentity, request.now)
    : verifyWebhook(provider.data, {
        rawBody: request.rawBody,
        headers: request.headers,
        query: request.query,
        secret: secret ?? '',
        now: request.now,
      });
  if (!verification.ok) throw new UnverifiedDeliveryError(verification.reason);

  let normalisation: WebhookNormalisation;
  try {
    normalisation = normaliseWebhook(provider.data, {
      body: parseJson(request.rawBody),
      headers: request.headers,
      ...(integration.mapping ? { mapping: integration.mapping } : {}),
      integrationId: integration.id,
      receivedAt: request.now,
    });
  } catch (error) {
    if (error instanceof WebhookPayloadError) throw new MalformedBodyError('invalid_payload', error.message);
    throw error;
  }
  if (normalisation.kind === 'ignored') return { status: 'ignored', reason: normalisation.reason };

  const delivery = deliveryKey(normalisation.deliveryId);
  if (await deps.deliveries.seen(integration.id, delivery)) return { status: 'duplicate' };

  let items: NormalisedFeedback[];
  if (normalisation.kind === 'feedback') {
    items = normalisation.items;
  } else {
    const { resource } = normalisation;
    if (resource.provider !== 'google_business_profile' || !sealed.credentials || !box) {
      throw new StateConflictError(
        `Integration ${integration.id} has no API credentials to fetch the ${resource.provider} item`,
      );
    }
    const credentials = box.open(sealed.credentials, integrationSecretContext(integration.id, 'credentials'));
    const review = await deps.fetchBusinessProfileReview(resource.reviewName, credentials, request.now);
    try {
      items = [normaliseGoogleBusinessProfileReview(review, { integrationId: integration.id })];
    } catch (error) {
      if (error instanceof WebhookPayloadError) throw new Error(`Fetched review is malformed: ${error.message}`);
      throw error;
    }
  }

  const recorded = await recordExternalFeedback(deps, integration.id, items, request.causation, request.now);
  await deps.deliveries.remember(integration.id, delivery, 'recorded', request.now);
  return { status: 'recorded', items: recorded };
}
