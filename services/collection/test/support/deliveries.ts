import type { PushProvider } from '../../src/domain/integrations';
import { fixture, hmac } from '../webhooks/support';

export interface SignedDelivery {
  rawBody: Buffer;
  headers: Record<string, string>;
  query: Record<string, string>;
}

interface ProviderExample {
  fixture: string;
  /** Signed as each provider documents it (see src/domain/webhooks/README.md), independently of the code under test. */
  sign: (rawBody: Buffer, secret: string, now: Date) => Omit<SignedDelivery, 'rawBody'>;
}

/** Each push provider's example payload and how the provider proves it. */
export const providerExamples: Record<PushProvider, ProviderExample> = {
  zendesk: {
    fixture: 'zendesk/trigger_satisfaction_default_template.EXAMPLE.json',
    sign: (rawBody, secret, now) => {
      const timestamp = now.toISOString();
      return {
        headers: {
          'x-zendesk-webhook-signature-timestamp': timestamp,
          'x-zendesk-webhook-signature': hmac('sha256', secret, Buffer.concat([Buffer.from(timestamp), rawBody]))
            .base64,
          'x-zendesk-webhook-invocation-id': '8350205582',
        },
        query: {},
      };
    },
  },
  freshdesk: {
    fixture: 'freshdesk/customer_feedback_default_template.EXAMPLE.json',
    sign: (_rawBody, secret) => ({ headers: { 'x-cxloop-token': secret }, query: {} }),
  },
  intercom: {
    fixture: 'intercom/conversation_rating_added.ASSEMBLED.json',
    sign: (rawBody, secret) => ({
      headers: { 'x-hub-signature': `sha1=${hmac('sha1', secret, rawBody).hex}` },
      query: {},
    }),
  },
  helpscout: {
    fixture: 'helpscout/satisfaction_ratings.json',
    sign: (rawBody, secret) => ({
      headers: {
        'x-helpscout-signature': hmac('sha1', secret, rawBody).base64,
        'x-helpscout-event': 'satisfaction.ratings',
      },
      query: {},
    }),
  },
  trustpilot: {
    fixture: 'trustpilot/service_review_created.json',
    sign: (_rawBody, secret) => ({ headers: {}, query: { token: secret } }),
  },
  typeform: {
    fixture: 'typeform/form_response.json',
    sign: (rawBody, secret) => ({
      headers: { 'typeform-signature': `sha256=${hmac('sha256', secret, rawBody).base64}` },
      query: {},
    }),
  },
  delighted: {
    fixture: 'delighted/survey_response_updated.json',
    sign: (rawBody, secret) => ({
      headers: { 'x-delighted-webhook-signature': `sha256=${hmac('sha256', secret, rawBody).hex}` },
      query: {},
    }),
  },
  google_business_profile: {
    fixture: 'google_business_profile/pubsub_push_new_review.ASSEMBLED.json',
    sign: (_rawBody, secret) => ({ headers: {}, query: { token: secret } }),
  },
};

/** The review the Business Profile notification in the fixture names, as `reviews.get` answers it. */
export const businessProfileReviewName = 'accounts/123/locations/456/reviews/789';
export const businessProfileReview = {
  ...(fixture('google_business_profile/review_resource_shape.json').body as Record<string, unknown>),
  name: businessProfileReviewName,
  reviewId: '789',
  comment: 'Friendly staff, but the queue was long.',
};

/** A provider's example, signed with `secret` at `now`; `rawBody` replaces the example's bytes. */
export function signedExample(provider: PushProvider, secret: string, now: Date, rawBody?: Buffer): SignedDelivery {
  const example = providerExamples[provider];
  const body = rawBody ?? fixture(example.fixture).rawBody;
  return { rawBody: body, ...example.sign(body, secret, now) };
}

/** The example's bytes with one digit changed, as a tampering proxy would. */
export function alteredBody(rawBody: Buffer): Buffer {
  return Buffer.from(rawBody.toString('utf8').replace(/\d/, (digit) => String((Number(digit) + 1) % 10)));
}
