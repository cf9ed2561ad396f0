/**
 * Follow-up's routes of the Delighted-compatible API (`/delighted/v1/…`, each with its `.json` twin): people, their
 * pending survey requests, unsubscribes, bounces and Autopilot, for the survey the `delighted` key is bound to; and
 * the admin route that sets a survey's Autopilot frequency.
 */
import { defineRoute, delightedPageQuery, delightedRoutes, jsonObject } from '@cxloop/http-contracts';
import * as z from 'zod';
import { autopilotPlatforms, autopilotSettingsSchema } from '../domain/autopilot';
import {
  delightedMembershipDeleteQuerySchema,
  delightedMembershipRequestSchema,
  delightedPeopleQuerySchema,
  delightedPersonRequestSchema,
  delightedSuppressionsQuerySchema,
} from '../domain/delighted';

const personPath = z.object({
  person: z
    .string()
    .min(1)
    .max(400)
    .describe('The person id, `email:<address>` or `phone_number:<E.164>` (the e-mail address alone for pending)'),
});
const platformPath = z.object({ platform: z.enum(autopilotPlatforms) });
const list = z.array(jsonObject);
const ok = z.object({ ok: z.literal(true) });
const paged = 'Paged by `per_page` and `page`; the `Link` header (rel="next") gives the next page as a full URL.';

export const delightedPeopleRoutes = [
  ...delightedRoutes({
    method: 'POST',
    path: '/people',
    summary: 'Creates or updates a person and (unless `send` is false) schedules their survey',
    description:
      'Within the fatigue limits and quiet hours; `survey_scheduled_at` is null when no survey will go out (an ' +
      'unsubscribe, a bounce, or the person was surveyed too recently).',
    request: { body: delightedPersonRequestSchema },
    responses: { 200: jsonObject },
  }),
  ...delightedRoutes({
    method: 'GET',
    path: '/people',
    summary: "The survey's people, first added first",
    description: `${paged} \`since\`/\`until\` (Unix seconds) filter on when the person was added.`,
    request: { query: delightedPageQuery.extend(delightedPeopleQuerySchema.shape) },
    responses: { 200: list },
  }),
  ...delightedRoutes({
    method: 'DELETE',
    path: '/people/{person}',
    summary: 'Erases the person everywhere (cxloop’s erasure: every service erases what it holds)',
    request: { path: personPath },
    responses: { 202: z.object({ ok: z.literal(true), erasure_id: z.string() }) },
    errors: { 404: 'No person with this id' },
  }),
  ...delightedRoutes({
    method: 'DELETE',
    path: '/people/{person}/survey_requests/pending',
    summary: "Cancels the person's pending survey requests",
    request: { path: personPath },
    responses: { 200: ok },
  }),
  ...delightedRoutes({
    method: 'POST',
    path: '/unsubscribes',
    summary: 'Unsubscribes a person from every survey and cancels their pending survey requests',
    request: { body: z.object({ person_email: z.email().max(254) }) },
    responses: { 200: ok },
  }),
  ...delightedRoutes({
    method: 'GET',
    path: '/unsubscribes',
    summary: 'The unsubscribed people, newest first (unsubscribes are the deployment’s, not one survey’s)',
    description: paged,
    request: { query: delightedPageQuery.extend(delightedSuppressionsQuerySchema.shape) },
    responses: { 200: list },
  }),
  ...delightedRoutes({
    method: 'GET',
    path: '/bounces',
    summary: 'The people whose address bounced, newest first',
    description: paged,
    request: { query: delightedPageQuery.extend(delightedSuppressionsQuerySchema.shape) },
    responses: { 200: list },
  }),
  ...delightedRoutes({
    method: 'GET',
    path: '/autopilot/{platform}',
    summary: "The survey's Autopilot on a platform: whether it runs, and its frequency in seconds",
    request: { path: platformPath },
    responses: { 200: jsonObject },
  }),
  ...delightedRoutes({
    method: 'POST',
    path: '/autopilot/{platform}/memberships',
    summary: 'Adds a person to Autopilot: surveyed now, then every `frequency` seconds',
    description:
      '`person_email` on email, `person_phone_number` on sms; each survey request within the fatigue limits and ' +
      'quiet hours. Adding a member again replaces their properties.',
    request: { path: platformPath, body: delightedMembershipRequestSchema },
    responses: { 200: jsonObject },
  }),
  ...delightedRoutes({
    method: 'GET',
    path: '/autopilot/{platform}/memberships',
    summary: "Autopilot's members on a platform, first added first",
    description: paged,
    request: {
      path: platformPath,
      query: delightedPageQuery.extend({ page_info: delightedPeopleQuerySchema.shape.page_info }),
    },
    responses: { 200: list },
  }),
  ...delightedRoutes({
    method: 'DELETE',
    path: '/autopilot/{platform}/memberships',
    summary: 'Removes a person from Autopilot (by `person_id`, `person_email` or `person_phone_number`)',
    request: { path: platformPath, query: delightedMembershipDeleteQuerySchema },
    responses: { 200: jsonObject },
    errors: { 404: 'The person is not a member' },
  }),
] as const;

const autopilotAdminPath = z.object({
  surveyId: z.string().min(1).max(100),
  platform: z.enum(autopilotPlatforms),
});

/** cxloop's own setting behind Delighted's Autopilot configuration. */
export const autopilotAdminRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/followup-autopilot/{surveyId}/{platform}',
    auth: 'admin',
    summary: "A survey's Autopilot on a platform (the defaults until set: active, every 90 days)",
    request: { path: autopilotAdminPath },
    responses: { 200: jsonObject },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/followup-autopilot/{surveyId}/{platform}',
    auth: 'admin',
    summary: "Sets a survey's Autopilot on a platform; runs already scheduled keep their time",
    request: { path: autopilotAdminPath, body: autopilotSettingsSchema },
    responses: { 200: jsonObject },
  }),
] as const;
