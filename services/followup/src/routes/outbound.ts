/** Admin routes of the outbound delivery: channel settings and the message log. */
export const outboundAdminRoutes = [
  'GET /v1/followup-channels',
  'PUT /v1/followup-channels',
  'GET /v1/messages',
  'GET /v1/messages/{messageId}',
] as const;
export type OutboundAdminRoute = (typeof outboundAdminRoutes)[number];
