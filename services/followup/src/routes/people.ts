/**
 * HTTP routes of the follow-up service's people, invitations and unsubscribes; the CDK app creates exactly these,
 * the handlers serve exactly these.
 *
 * `POST /v1/people` answers 202 when an invitation was queued or scheduled (the e-mail itself goes out
 * asynchronously), 200 when the person was only saved (`send: false`) or the invitation was suppressed (fatigue
 * limits or an unsubscribe; the body says why and until when).
 *
 * `DELETE /v1/people/{person}` (an e-mail address, a phone number in E.164, or a person id) answers 202 with the
 * `erasureId` of an erasure that every service carries out; `GET /v1/erasures/{erasureId}` follows it to `complete`.
 */
export const peopleAdminRoutes = [
  'POST /v1/people',
  'DELETE /v1/people/{person}',
  'GET /v1/erasures/{erasureId}',
  'DELETE /v1/people/{person}/survey_requests/pending',
  'GET /v1/followup-fatigue',
  'PUT /v1/followup-fatigue',
  'POST /v1/unsubscribes',
  'GET /v1/unsubscribes',
] as const;
export type PeopleAdminRoute = (typeof peopleAdminRoutes)[number];

/** The one-click unsubscribe link of every message (RFC 8058): public, checked by its signed token. */
export const unsubscribePageRoutes = ['GET /u/{token}', 'POST /u/{token}'] as const;
export type UnsubscribePageRoute = (typeof unsubscribePageRoutes)[number];
