/** HTTP routes of the follow-up service's SMS channel: the short survey links texts carry. */
import { defineRoute, noContent } from '@cxloop/http-contracts';
import * as z from 'zod';

export const smsLinkRoutes = [
  defineRoute({
    method: 'GET',
    path: '/i/{code}',
    auth: 'public',
    summary: "An SMS invitation's short survey link: redirects to the hosted survey page with its signed link",
    request: { path: z.object({ code: z.string().max(64).describe('The invitation, packed: names nobody') }) },
    responses: { 302: noContent('To the hosted survey page (`/s/{surveyId}?t=…`)') },
    errors: { 404: 'No such invitation, not sent, or its link expired (an HTML page says so)' },
    throttle: { rateLimit: 20, burstLimit: 40 },
  }),
] as const;
