/**
 * HTTP routes of the follow-up service's people, invitations and unsubscribes: the CDK app creates exactly these,
 * the handlers implement exactly these, the OpenAPI document is derived from them.
 */
import { defineRoute, htmlPage, jsonObject, pageOf, pageQuery } from '@cxloop/http-contracts';
import * as z from 'zod';
import { fatiguePolicySchema } from '../domain/fatigue';
import { invitePersonRequestSchema } from '../domain/invitations';
import { suppressionReasons } from '../store/suppressions';

const personPath = z.object({
  person: z.string().min(1).max(320).describe('An e-mail address, a phone number in E.164, or a person id'),
});
const invitation = jsonObject.describe('An invitation: its channel, when it is (or was) sent, its status');
const personKeys = z.array(z.string());

export const peopleAdminRoutes = [
  defineRoute({
    method: 'POST',
    path: '/v1/people',
    auth: 'admin',
    summary: 'Saves a person and invites them to a survey',
    description:
      '202 when an invitation was queued or scheduled (the e-mail itself goes out asynchronously), 200 when the ' +
      'person was only saved (`send: false`) or the invitation was suppressed (fatigue limits or an unsubscribe; ' +
      'the body says why and until when).',
    request: { body: invitePersonRequestSchema },
    responses: {
      202: z.object({ status: z.string(), person: jsonObject, survey_scheduled_at: z.number().nullable() }),
      200: z.object({ status: z.string(), person: jsonObject, survey_scheduled_at: z.number().nullable() }),
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/people/{person}',
    auth: 'admin',
    summary: 'Erases a person everywhere; every service carries out the erasure',
    request: { path: personPath },
    responses: { 202: z.object({ erasureId: z.string(), status: z.literal('pending'), requestedAt: z.string() }) },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/erasures/{erasureId}',
    auth: 'admin',
    summary: 'An erasure, until every service reported it complete',
    request: { path: z.object({ erasureId: z.string().regex(/^er_[0-9A-Z]{26}$/, 'expected an erasure id (er_…)') }) },
    responses: { 200: z.object({ erasureId: z.string(), status: z.string() }) },
    errors: { 404: 'No such erasure' },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/people/{person}/survey_requests/pending',
    auth: 'admin',
    summary: "Cancels a person's pending invitations",
    request: { path: personPath },
    responses: { 200: z.object({ ok: z.literal(true), personKeys, cancelled: z.array(invitation) }) },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/followup-fatigue',
    auth: 'admin',
    summary: 'How often a person may be asked',
    responses: { 200: jsonObject },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/followup-fatigue',
    auth: 'admin',
    summary: 'Sets how often a person may be asked',
    request: { body: fatiguePolicySchema },
    responses: { 200: jsonObject },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/unsubscribes',
    auth: 'admin',
    summary: 'Unsubscribes a person (by e-mail or id) and cancels their pending invitations',
    request: {
      body: z
        .object({ email: z.email().max(254).optional(), personId: z.string().trim().min(1).max(200).optional() })
        .refine((body) => Boolean(body.email) !== Boolean(body.personId), {
          path: ['email'],
          message: 'give either email or personId',
        }),
    },
    responses: { 200: z.object({ personKeys, unsubscribedAt: z.string(), cancelled: z.array(invitation) }) },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/unsubscribes',
    auth: 'admin',
    summary: 'The unsubscribed and suppressed people',
    request: { query: pageQuery().extend({ reason: z.enum(suppressionReasons).optional() }) },
    responses: { 200: pageOf(jsonObject) },
  }),
] as const;

/** Requests per second (and burst) of the public unsubscribe page, per route. */
const unsubscribeThrottle = { rateLimit: 20, burstLimit: 40 };
const tokenPath = '/u/{token}';

/** The one-click unsubscribe link of every message (RFC 8058): public, checked by its signed token. */
export const unsubscribePageRoutes = [
  defineRoute({
    method: 'GET',
    path: tokenPath,
    auth: 'public',
    summary: 'The unsubscribe confirmation page (a GET never unsubscribes: link scanners follow links)',
    responses: { 200: htmlPage('The confirmation, or why the link is invalid') },
    throttle: unsubscribeThrottle,
  }),
  defineRoute({
    method: 'POST',
    path: tokenPath,
    auth: 'public',
    summary: 'Unsubscribes: RFC 8058 one-click from a mail client, or the confirmation page’s button',
    request: { body: { raw: 'application/x-www-form-urlencoded' } },
    responses: { 200: htmlPage('Done, or why the link is invalid') },
    throttle: unsubscribeThrottle,
  }),
] as const;
