/** HTTP routes of the follow-up cases area; the CDK app creates exactly these, the admin handler serves exactly these. */
export const caseAdminRoutes = [
  'GET /v1/followups',
  'GET /v1/followups/{caseId}',
  'PATCH /v1/followups/{caseId}',
  'POST /v1/followups/{caseId}/notes',
  'GET /v1/followup-rules',
  'PUT /v1/followup-rules',
  'GET /v1/followup-rules/versions',
  'GET /v1/followup-config',
  'PUT /v1/followup-config',
  'GET /v1/followup-metrics',
] as const;
export type CaseAdminRoute = (typeof caseAdminRoutes)[number];
