/** HTTP routes of the aggregation service; the CDK app creates exactly these, the handlers serve exactly these. */

/** Served by the read-only metrics function. */
export const aggregationReadRoutes = [
  'GET /v1/metrics',
  'GET /v1/metrics.json',
  'GET /v1/feedback',
  'GET /v1/aggregation/surveys/{surveyId}/config',
  'GET /v1/aggregation/surveys/{surveyId}/rebuild',
] as const;
export type AggregationReadRoute = (typeof aggregationReadRoutes)[number];

/** Served by the admin function, which may write configuration and start rebuilds. */
export const aggregationAdminRoutes = [
  'PUT /v1/aggregation/surveys/{surveyId}/config',
  'POST /v1/aggregation/surveys/{surveyId}/rebuild',
] as const;
export type AggregationAdminRoute = (typeof aggregationAdminRoutes)[number];
