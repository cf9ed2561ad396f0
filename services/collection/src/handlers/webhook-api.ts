import {
  BusinessMetrics,
  countMetric,
  documentClient,
  eventPublisher,
  type HttpEvent,
  httpRoutes,
  isJsonMediaType,
  json,
  logger,
  PayloadTooLargeError,
  requireContentType,
} from '@cxloop/lambda-kit';
import { UnverifiedDeliveryError } from '../domain/errors';
import { webhookApiEnvironment } from '../environment';
import { businessProfileReviews, googleSigningKeys, pubSubPushVerifier } from '../providers/google';
import { collectionWebhookRoutes } from '../routes';
import { externalFeedbackStore } from '../store/external-feedback';
import { integrationStore } from '../store/integrations';
import { webhookDeliveryStore } from '../store/webhook-deliveries';
import { receiveWebhook } from '../use-cases/receive-webhook';
import { collectionErrors } from './http-errors';
import { createdCount, retentionPolicyIn, secretBoxFrom } from './shared';

const env = webhookApiEnvironment.read();
const tableName = env.TABLE_NAME;
const db = documentClient();
const deps = {
  integrations: integrationStore(db, tableName),
  secretBox: secretBoxFrom(env.SECRETS_KEY_SECRET_ID),
  deliveries: webhookDeliveryStore(db, tableName),
  feedback: externalFeedbackStore(db, tableName),
  publish: eventPublisher(env.EVENT_BUS_NAME),
  retentionPolicy: retentionPolicyIn(db, tableName),
  fetchBusinessProfileReview: businessProfileReviews({
    tokenUrl: env.GOOGLE_OAUTH_TOKEN_URL,
    businessProfileApiUrl: env.GOOGLE_BUSINESS_PROFILE_API_URL,
  }),
  verifyPubSubPush: pubSubPushVerifier(googleSigningKeys(env.GOOGLE_OIDC_CERTS_URL)),
};

/** Far above any provider's single delivery (Trustpilot batches included). */
const MAX_WEBHOOK_BYTES = 256 * 1024;

/** The body's bytes as the provider sent them (API Gateway base64-encodes bodies it does not take for text). */
function rawBodyOf(event: HttpEvent): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

export const handler = httpRoutes(
  collectionWebhookRoutes,
  {
    'POST /v1/webhooks/{provider}/{integrationId}': async ({
      event,
      path: { provider, integrationId },
      causation,
      now,
    }) => {
      // Every provider sends JSON; SurveyMonkey as application/vnd.surveymonkey.response.v1+json.
      requireContentType(event, 'application/json', isJsonMediaType);
      const rawBody = rawBodyOf(event);
      if (rawBody.length > MAX_WEBHOOK_BYTES) throw new PayloadTooLargeError(MAX_WEBHOOK_BYTES);
      try {
        const result = await receiveWebhook(deps, {
          provider,
          integrationId,
          rawBody,
          headers: event.headers ?? {},
          query: event.queryStringParameters ?? {},
          causation,
          now,
        });
        if (result.status === 'recorded') countMetric(BusinessMetrics.responsesReceived, createdCount(result.items));
        return json(200, result);
      } catch (error) {
        if (error instanceof UnverifiedDeliveryError) {
          logger.warn('Webhook delivery rejected', { provider, integrationId, reason: error.message });
        }
        throw error;
      }
    },
  },
  { errors: collectionErrors, metrics: [BusinessMetrics.responsesReceived] },
);
