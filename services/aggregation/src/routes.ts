/** HTTP routes of the aggregation service; the CDK app creates exactly these, the handlers serve exactly these. */
export const aggregationAdminRoutes = ['GET /v1/metrics'] as const;
export type AggregationAdminRoute = (typeof aggregationAdminRoutes)[number];
