import { appStoreConnectKeySchema } from '../domain/integrations';
import { normaliseAppStoreCustomerReviewsPage } from '../domain/webhooks';
import type { ReviewSource } from '../use-cases/poll-reviews';
import { endpoint, getJson } from './http';
import { signJwt } from './jwt';

/** App Store Connect takes a JWT it can verify with the key's public half; it may live at most 20 minutes. */
export function appStoreConnectToken(credentialsJson: string, now: Date): string {
  const key = appStoreConnectKeySchema.parse(JSON.parse(credentialsJson));
  const issuedAt = Math.floor(now.getTime() / 1000);
  return signJwt(
    'ES256',
    key.privateKey,
    { kid: key.keyId },
    { iss: key.issuerId, iat: issuedAt, exp: issuedAt + 15 * 60, aud: 'appstoreconnect-v1' },
  );
}

/**
 * `GET /v1/apps/{id}/customerReviews`, newest first. The next page is an absolute URL from Apple's answer; it is
 * followed only under the configured API URL, so an answer cannot send the token anywhere else.
 */
export function appStoreReviews(apiUrl: string): ReviewSource {
  return async ({ integration, credentials, next, now }) => {
    const appId = integration.config?.appId;
    if (!appId) throw new Error(`Integration ${integration.id} has no config.appId`);
    let url: URL;
    if (next) {
      url = new URL(next);
      if (!url.href.startsWith(endpoint(apiUrl, '/').href))
        throw new Error('The next page is not on the App Store API');
    } else {
      url = endpoint(apiUrl, `/v1/apps/${encodeURIComponent(appId)}/customerReviews`);
      url.searchParams.set('sort', '-createdDate');
      url.searchParams.set('limit', '200');
    }
    const page = await getJson('App Store Connect', url, appStoreConnectToken(credentials, now));
    const { items, nextUrl } = normaliseAppStoreCustomerReviewsPage(page, { integrationId: integration.id });
    return { items, ...(nextUrl ? { next: nextUrl } : {}) };
  };
}
