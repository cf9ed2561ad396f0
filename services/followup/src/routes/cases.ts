/** HTTP routes of the follow-up service; the CDK app creates exactly these, the handlers serve exactly these. */
export const caseAdminRoutes = ['GET /v1/followups', 'GET /v1/followups/{caseId}'] as const;
export type CaseAdminRoute = (typeof caseAdminRoutes)[number];
