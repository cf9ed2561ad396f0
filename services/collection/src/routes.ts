/** HTTP routes of the collection service; the CDK app creates exactly these, the handlers serve exactly these. */
export const collectionAdminRoutes = [
  'POST /v1/surveys',
  'GET /v1/surveys',
  'GET /v1/surveys/{surveyId}',
  'PATCH /v1/surveys/{surveyId}',
  'POST /v1/surveys/{surveyId}/identity-secret',
  'POST /v1/api-keys',
  'GET /v1/api-keys',
  'DELETE /v1/api-keys/{keyId}',
  'POST /v1/integrations',
  'GET /v1/integrations',
  'GET /v1/integrations/{integrationId}',
  'PATCH /v1/integrations/{integrationId}',
  'GET /v1/retention',
  'PUT /v1/retention',
] as const;

/** Called by widgets and hosted pages in browsers: CORS per survey, answered by the handler (preflights included). */
export const collectionPublicRoutes = [
  'POST /v1/surveys/{surveyId}/responses',
  'OPTIONS /v1/surveys/{surveyId}/responses',
  'POST /v1/surveys/{surveyId}/asks',
  'OPTIONS /v1/surveys/{surveyId}/asks',
] as const;

/** Called by providers' servers; proven by signatures over the raw body. */
export const collectionWebhookRoutes = ['POST /v1/webhooks/{provider}/{integrationId}'] as const;

/**
 * Served to browsers by the pages function: the widget script, the demo page, hosted survey pages (navigations and
 * their own form posts, so no CORS) and the survey's public definition (read by widgets on other sites: CORS per
 * survey, as for the public routes).
 */
export const collectionPageRoutes = [
  'GET /widget.js',
  'GET /demo',
  'GET /s/{surveyId}',
  'POST /s/{surveyId}',
  'GET /v1/surveys/{surveyId}/public',
] as const;

export type CollectionAdminRoute = (typeof collectionAdminRoutes)[number];
export type CollectionPublicRoute = (typeof collectionPublicRoutes)[number];
export type CollectionWebhookRoute = (typeof collectionWebhookRoutes)[number];
export type CollectionPageRoute = (typeof collectionPageRoutes)[number];

/** Per-route throttles on the HTTP API (requests per second, and the burst above it), in front of the handlers' own limits. */
export const collectionRouteThrottles: Partial<
  Record<CollectionPublicRoute | CollectionWebhookRoute, { rateLimit: number; burstLimit: number }>
> = {
  'POST /v1/surveys/{surveyId}/responses': { rateLimit: 100, burstLimit: 200 },
  'POST /v1/surveys/{surveyId}/asks': { rateLimit: 100, burstLimit: 200 },
  'POST /v1/webhooks/{provider}/{integrationId}': { rateLimit: 50, burstLimit: 100 },
};

/** Per-route throttles of the page routes that write: a hosted page's form post stores a response. */
export const collectionPageRouteThrottles: Partial<
  Record<CollectionPageRoute, { rateLimit: number; burstLimit: number }>
> = { 'POST /s/{surveyId}': { rateLimit: 100, burstLimit: 200 } };
