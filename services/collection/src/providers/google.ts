import type { JSONWebKeySet } from 'jose';
import * as z from 'zod';
import { googleServiceAccountSchema } from '../domain/integrations';
import { normaliseGooglePlayReviewsPage, type VerificationResult } from '../domain/webhooks';
import type { ReviewSource } from '../use-cases/poll-reviews';
import type { FetchBusinessProfileReview, VerifyPubSubPush } from '../use-cases/receive-webhook';
import { endpoint, getJson, ProviderHttpError, postForm } from './http';
import { JwtRejectedError, signJwt, verifyJwt } from './jwt';

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

const jwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string() })) });
/** Without a Cache-Control max-age the keys are kept this long; Google sends one of several hours. */
const DEFAULT_KEYS_MAX_AGE_SECONDS = 300;
/** A token signed with a key we do not hold fetches the keys again, but not more often than this. */
const KEYS_REFETCH_INTERVAL_MS = 60_000;

/**
 * Google's OIDC signing keys (https://www.googleapis.com/oauth2/v3/certs), kept per instance for as long as their
 * Cache-Control says, and fetched again early when a token names a key that is not among them (a rotation).
 */
export function googleSigningKeys(certsUrl: string, fetchFn: typeof fetch = fetch) {
  let cached: { keys: JSONWebKeySet; fetchedAt: number; expiresAt: number } | undefined;
  const refresh = async (now: Date): Promise<JSONWebKeySet> => {
    const url = new URL(certsUrl);
    const response = await fetchFn(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new ProviderHttpError('Google OIDC keys', response.status, url.pathname);
    const keys = jwksSchema.parse(await response.json()) as JSONWebKeySet;
    const maxAge = Number(/(?:^|,)\s*max-age=(\d+)/i.exec(response.headers.get('cache-control') ?? '')?.[1]);
    const seconds = Number.isFinite(maxAge) ? maxAge : DEFAULT_KEYS_MAX_AGE_SECONDS;
    cached = { keys, fetchedAt: now.getTime(), expiresAt: now.getTime() + seconds * 1000 };
    return keys;
  };
  return {
    async current(now: Date): Promise<JSONWebKeySet> {
      return cached && now.getTime() < cached.expiresAt ? cached.keys : refresh(now);
    },
    /** Newer keys, or undefined when the current ones were fetched too recently to ask again. */
    async newer(now: Date): Promise<JSONWebKeySet | undefined> {
      if (cached && now.getTime() - cached.fetchedAt < KEYS_REFETCH_INTERVAL_MS) return undefined;
      return refresh(now);
    },
  };
}

/** Google signs ID tokens as either issuer. */
const googleIssuers = ['accounts.google.com', 'https://accounts.google.com'];

/**
 * Checks a Pub/Sub push's OIDC token (`Authorization: Bearer <JWT>`) as Google documents it ("Authenticate push
 * subscriptions"): an RS256 signature by one of Google's keys, Google as issuer, the subscription's audience, and
 * the push service account as a verified `email`; `exp` and `iat` within a minute of skew.
 */
export function pubSubPushVerifier(keys: ReturnType<typeof googleSigningKeys>): VerifyPubSubPush {
  return async (authorization, expected, now): Promise<VerificationResult> => {
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) return { ok: false, reason: 'missing Authorization: Bearer token of the Pub/Sub push' };
    const expectations = {
      algorithm: 'RS256' as const,
      issuers: googleIssuers,
      audience: expected.audience,
      now,
      clockToleranceSeconds: 60,
      maxAgeSeconds: 3600,
    };
    let claims: Awaited<ReturnType<typeof verifyJwt>>;
    try {
      try {
        claims = await verifyJwt(token, await keys.current(now), expectations);
      } catch (error) {
        const newer = error instanceof JwtRejectedError && error.unknownKey ? await keys.newer(now) : undefined;
        if (!newer) throw error;
        claims = await verifyJwt(token, newer, expectations);
      }
    } catch (error) {
      if (error instanceof JwtRejectedError) return { ok: false, reason: `push token: ${error.reason}` };
      throw error;
    }
    if (typeof claims.email !== 'string' || claims.email.toLowerCase() !== expected.serviceAccountEmail.toLowerCase()) {
      return { ok: false, reason: 'push token: not issued to the configured push service account' };
    }
    if (claims.email_verified !== true) return { ok: false, reason: 'push token: email is not verified' };
    return { ok: true };
  };
}
