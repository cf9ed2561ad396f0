/** HTTP routes of the collection service; the CDK app creates exactly these, the handlers serve exactly these. */
export const collectionAdminRoutes = ['POST /v1/surveys', 'GET /v1/surveys', 'GET /v1/surveys/{surveyId}'] as const;
export const collectionPublicRoutes = ['POST /v1/surveys/{surveyId}/responses'] as const;

export type CollectionAdminRoute = (typeof collectionAdminRoutes)[number];
export type CollectionPublicRoute = (typeof collectionPublicRoutes)[number];
