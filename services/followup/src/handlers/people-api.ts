import {
  decodeCursor,
  documentClient,
  encodeCursor,
  eventPublisher,
  httpRoutes,
  json,
  NotFoundError,
} from '@cxloop/lambda-kit';
import { erasureView } from '../domain/erasure';
import { invitationView } from '../domain/invitations';
import { emailOfPersonKey, normalisedEmail } from '../domain/person';
import { peopleApiEnvironment } from '../environment';
import { autopilotAdminRoutes, delightedPeopleRoutes } from '../routes/delighted';
import { peopleAdminRoutes } from '../routes/people';
import type { PersonProfile } from '../store/people';
import { erasureStore } from '../store/privacy';
import { cancelPendingInvitations, personKeysOfPathSegment } from '../use-cases/cancel-invitations';
import { requestErasure } from '../use-cases/erase-person';
import { type InvitePersonResult, invitePerson } from '../use-cases/invite-person';
import { unsubscribe } from '../use-cases/unsubscribe';
import { delightedPeopleImplementations } from './delighted-people';
import { followUpErrors } from './http-errors';
import { invitationDepsFromEnv } from './invitation-deps';

const env = peopleApiEnvironment.read();
const deps = invitationDepsFromEnv(env);
const erasures = erasureStore(documentClient(), env.TABLE_NAME);
const publish = eventPublisher(env.EVENT_BUS_NAME);
const personView = (person: PersonProfile) => ({
  key: person.personKey,
  ...(person.id ? { id: person.id } : {}),
  ...(person.email ? { email: person.email } : {}),
  ...(person.phone ? { phone: person.phone } : {}),
  ...(person.name ? { name: person.name } : {}),
  ...(person.locale ? { locale: person.locale } : {}),
  ...(person.timeZone ? { timeZone: person.timeZone } : {}),
  properties: person.properties ?? {},
  createdAt: person.firstSeenAt,
  ...(person.lastInvitedAt ? { lastInvitedAt: person.lastInvitedAt } : {}),
});

/** Delighted's people answer (`person`, `survey_scheduled_at` in Unix seconds), plus what became of the invitation. */
function invitePersonResponse(result: InvitePersonResult) {
  const scheduled = result.status === 'sent' || result.status === 'scheduled';
  return {
    status: result.status,
    person: personView(result.person),
    survey_scheduled_at: scheduled ? Math.floor(Date.parse(result.invitation.sendAt) / 1000) : null,
    ...('invitation' in result ? { invitation: invitationView(result.invitation) } : {}),
    ...(result.status === 'suppressed'
      ? { reason: result.reason, ...(result.until ? { until: result.until } : {}) }
      : {}),
  };
}

export const handler = httpRoutes(
  [...peopleAdminRoutes, ...delightedPeopleRoutes, ...autopilotAdminRoutes],
  {
    ...delightedPeopleImplementations({ ...deps, erasures, publish }),
    'POST /v1/people': async ({ body, now }) => {
      const result = await invitePerson(deps, body, now);
      const accepted = result.status === 'sent' || result.status === 'scheduled';
      return json(accepted ? 202 : 200, invitePersonResponse(result));
    },
    'DELETE /v1/people/{person}': async ({ path, causation, now }) => {
      const record = await requestErasure({ people: deps.people, erasures, publish }, path.person, causation, now);
      return json(202, { erasureId: record.erasureId, status: 'pending' as const, requestedAt: record.requestedAt });
    },
    'GET /v1/erasures/{erasureId}': async ({ path: { erasureId } }) => {
      const record = await erasures.get(erasureId);
      if (!record) throw new NotFoundError(`Erasure ${erasureId} does not exist`);
      return json(200, erasureView(record));
    },
    'DELETE /v1/people/{person}/survey_requests/pending': async ({ path, now }) => {
      const personKeys = await personKeysOfPathSegment(deps, path.person);
      const cancelled = await cancelPendingInvitations(deps, personKeys, now);
      return json(200, { ok: true as const, personKeys, cancelled: cancelled.map(invitationView) });
    },
    'GET /v1/followup-fatigue': async () => json(200, await deps.fatigue.get()),
    'PUT /v1/followup-fatigue': async ({ body, now }) => {
      await deps.fatigue.put(body, now);
      return json(200, body);
    },
    'POST /v1/unsubscribes': async ({ body, now }) => {
      const personKey = body.email ? `email:${normalisedEmail(body.email)}` : `id:${body.personId}`;
      const result = await unsubscribe(deps, personKey, 'api', now);
      return json(200, {
        personKeys: result.personKeys,
        unsubscribedAt: result.unsubscribedAt,
        cancelled: result.cancelled.map(invitationView),
      });
    },
    'GET /v1/unsubscribes': async ({ query }) => {
      const page = await deps.suppressions.list({
        limit: query.limit,
        ...(query.cursor ? { cursor: decodeCursor(query.cursor) } : {}),
        ...(query.reason ? { reason: query.reason } : {}),
      });
      return json(200, {
        items: page.suppressions.map((suppression) => {
          const email = emailOfPersonKey(suppression.personKey);
          return { ...suppression, ...(email ? { email } : {}) };
        }),
        nextCursor: encodeCursor(page.next) ?? null,
      });
    },
  },
  { errors: followUpErrors },
);
