/** HTTP routes of the categorisation service; the CDK app creates exactly these, the handlers serve exactly these. */
export const categorisationAdminRoutes = [] as const;
