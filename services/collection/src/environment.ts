import { defineEnvironment } from '@cxloop/lambda-kit/config';

/** The environment of each collection function, read by its handler and supplied by `infra/lib/services/collection.ts`. */

const table = { TABLE_NAME: 'the collection table' };
const bus = { EVENT_BUS_NAME: 'the cxloop event bus (FeedbackReceived, RetentionPolicyChanged, PersonErased)' };
const secretsKey = { SECRETS_KEY_SECRET_ID: 'key of the secret box sealing integration and survey secrets' };
const googleToken = { GOOGLE_OAUTH_TOKEN_URL: "Google's OAuth token endpoint" };

export const authorizerEnvironment = defineEnvironment({
  ...table,
  ADMIN_KEY_SECRET_ID: 'the bootstrap admin API key',
});
export const adminApiEnvironment = defineEnvironment({
  ...table,
  ...secretsKey,
  ...bus,
  PUBLIC_API_URL: "the API's endpoint, which webhook URLs shown to admins start with",
});
export const publicApiEnvironment = defineEnvironment({ ...table, ...secretsKey, ...bus });
export const importApiEnvironment = defineEnvironment({ ...table, ...bus });
export const delightedApiEnvironment = defineEnvironment({ ...table, ...bus });
export const pagesEnvironment = defineEnvironment({
  ...table,
  ...secretsKey,
  ...bus,
  INVITATION_KEY_SECRET_ID: "the deployment's invitation key (follow-up's signed survey links)",
});
export const webhookApiEnvironment = defineEnvironment({
  ...table,
  ...secretsKey,
  ...bus,
  ...googleToken,
  GOOGLE_BUSINESS_PROFILE_API_URL: 'the Google Business Profile API',
  GOOGLE_OIDC_CERTS_URL: "Google's OIDC signing keys (Pub/Sub push tokens)",
});
export const pollerEnvironment = defineEnvironment({
  ...table,
  ...secretsKey,
  ...bus,
  ...googleToken,
  GOOGLE_PLAY_API_URL: 'the Google Play Developer API',
  APP_STORE_CONNECT_API_URL: 'the App Store Connect API',
});
export const erasureConsumerEnvironment = defineEnvironment({ ...table, ...bus });
