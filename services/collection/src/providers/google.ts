import * as z from 'zod';
import { googleServiceAccountSchema } from '../domain/integrations';
import { normaliseGooglePlayReviewsPage } from '../domain/webhooks';
import type { ReviewSource } from '../use-cases/poll-reviews';
import type { FetchBusinessProfileReview } from '../use-cases/receive-webhook';
import { endpoint, getJson, postForm } from './http';
import { signJwt } from './jwt';

export interface GoogleEndpoints {
  /** OAuth 2.0 token endpoint (https://oauth2.googleapis.com/token). */
  tokenUrl: string;
  /** https://androidpublisher.googleapis.com */
  playApiUrl: string;
  /** https://mybusiness.googleapis.com */
  businessProfileApiUrl: string;
}

const scopes = {
  play: 'https://www.googleapis.com/auth/androidpublisher',
  businessProfile: 'https://www.googleapis.com/auth/business.manage',
};

const tokenResponseSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

/**
 * Service-account access tokens by the OAuth 2.0 JWT bearer grant (RFC 7523): a JWT signed with the account's
 * private key is exchanged at the token endpoint for an access token, which is kept until a minute before it expires.
 */
export function googleAccessTokens(tokenUrl: string) {
  const cache = new Map<string, { token: string; expiresAt: number }>();
  return async (credentialsJson: string, scope: string, now: Date): Promise<string> => {
    const account = googleServiceAccountSchema.parse(JSON.parse(credentialsJson));
    const cacheKey = `${account.client_email} ${scope}`;
    const cached = cache.get(cacheKey);
    if (cached && cached.expiresAt > now.getTime() + 60_000) return cached.token;
    const issuedAt = Math.floor(now.getTime() / 1000);
    const assertion = signJwt(
      'RS256',
      account.private_key,
      {},
      { iss: account.client_email, scope, aud: tokenUrl, iat: issuedAt, exp: issuedAt + 3600 },
    );
    const answer = tokenResponseSchema.parse(
      await postForm('Google OAuth', new URL(tokenUrl), {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
      }),
    );
    cache.set(cacheKey, { token: answer.access_token, expiresAt: now.getTime() + answer.expires_in * 1000 });
    return answer.access_token;
  };
}

/** `reviews.list` of the Android Publisher API, newest first, paged by token. */
export function googlePlayReviews(
  endpoints: Pick<GoogleEndpoints, 'tokenUrl' | 'playApiUrl'>,
  tokens = googleAccessTokens(endpoints.tokenUrl),
): ReviewSource {
  return async ({ integration, credentials, next, now }) => {
    const packageName = integration.config?.packageName;
    if (!packageName) throw new Error(`Integration ${integration.id} has no config.packageName`);
    const url = endpoint(
      endpoints.playApiUrl,
      `/androidpublisher/v3/applications/${encodeURIComponent(packageName)}/reviews`,
    );
    url.searchParams.set('maxResults', '100');
    if (next) url.searchParams.set('token', next);
    const page = await getJson('Google Play', url, await tokens(credentials, scopes.play, now));
    const { items, nextPageToken } = normaliseGooglePlayReviewsPage(page, { integrationId: integration.id });
    return { items, ...(nextPageToken ? { next: nextPageToken } : {}) };
  };
}

/** `accounts.locations.reviews.get` (Business Profile API v4) of a review named by a Pub/Sub notification. */
export function businessProfileReviews(
  endpoints: Pick<GoogleEndpoints, 'tokenUrl' | 'businessProfileApiUrl'>,
  tokens = googleAccessTokens(endpoints.tokenUrl),
): FetchBusinessProfileReview {
  return async (reviewName, credentials, now) => {
    if (!/^accounts\/[^/]+\/locations\/[^/]+\/reviews\/[^/]+$/.test(reviewName)) {
      throw new Error('The notification names no Business Profile review');
    }
    const url = endpoint(endpoints.businessProfileApiUrl, `/v4/${reviewName}`);
    return getJson('Google Business Profile', url, await tokens(credentials, scopes.businessProfile, now));
  };
}
