/** HTTP routes of the categorisation service; the CDK app creates exactly these, the handlers serve exactly these. */
export const categorisationAdminRoutes = [
  'GET /v1/taxonomy',
  'PUT /v1/taxonomy',
  'GET /v1/taxonomy/versions',
  'GET /v1/taxonomy/versions/{version}',
  'POST /v1/taxonomy/recategorise',
  'GET /v1/categorisations',
  'GET /v1/feedback/{feedbackId}/categorisation',
  'PUT /v1/feedback/{feedbackId}/categorisation',
  'GET /v1/categorisation/corrections',
] as const;
export type CategorisationAdminRoute = (typeof categorisationAdminRoutes)[number];
