import {
  decodeCursor,
  documentClient,
  encodeCursor,
  eventPublisher,
  httpRouter,
  json,
  NotFoundError,
  parseBody,
  parsePath,
  parseQuery,
  type RouteHandler,
  requirePrincipal,
} from '@cxloop/lambda-kit';
import * as z from 'zod';
import { erasureView } from '../domain/erasure';
import { fatiguePolicySchema } from '../domain/fatigue';
import { invitationView, invitePersonRequestSchema } from '../domain/invitations';
import { emailOfPersonKey, normalisedEmail } from '../domain/person';
import { peopleApiEnvironment } from '../environment';
import type { PeopleAdminRoute } from '../routes/people';
import type { PersonProfile } from '../store/people';
import { erasureStore } from '../store/privacy';
import { suppressionReasons } from '../store/suppressions';
import { cancelPendingInvitations, personKeysOfPathSegment } from '../use-cases/cancel-invitations';
import { requestErasure } from '../use-cases/erase-person';
import { type InvitePersonResult, invitePerson } from '../use-cases/invite-person';
import { unsubscribe } from '../use-cases/unsubscribe';
import { invitationDepsFromEnv } from './invitation-deps';

const env = peopleApiEnvironment.read();
const deps = invitationDepsFromEnv(env);
const erasures = erasureStore(documentClient(), env.TABLE_NAME);
const publish = eventPublisher(env.EVENT_BUS_NAME);
const erasurePath = z.object({ erasureId: z.string().regex(/^er_[0-9A-Z]{26}$/, 'expected an erasure id (er_…)') });

const personPath = z.object({ person: z.string().min(1).max(320) });
const unsubscribeBody = z
  .object({ email: z.email().max(254).optional(), personId: z.string().trim().min(1).max(200).optional() })
  .refine((body) => Boolean(body.email) !== Boolean(body.personId), {
    path: ['email'],
    message: 'give either email or personId',
  });
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
  reason: z.enum(suppressionReasons).optional(),
});

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

const routes: Record<PeopleAdminRoute, RouteHandler> = {
  'POST /v1/people': async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const result = await invitePerson(deps, parseBody(event, invitePersonRequestSchema), now);
    const accepted = result.status === 'sent' || result.status === 'scheduled';
    return json(accepted ? 202 : 200, invitePersonResponse(result));
  },
  'DELETE /v1/people/{person}': async ({ event, correlationId, requestId, now }) => {
    requirePrincipal(event, 'admin');
    const { person } = parsePath(event, personPath);
    const record = await requestErasure(
      { people: deps.people, erasures, publish },
      person,
      { correlationId, causationId: requestId },
      now,
    );
    return json(202, { erasureId: record.erasureId, status: 'pending', requestedAt: record.requestedAt });
  },
  'GET /v1/erasures/{erasureId}': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const { erasureId } = parsePath(event, erasurePath);
    const record = await erasures.get(erasureId);
    if (!record) throw new NotFoundError(`Erasure ${erasureId} does not exist`);
    return json(200, erasureView(record));
  },
  'DELETE /v1/people/{person}/survey_requests/pending': async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const { person } = parsePath(event, personPath);
    const personKeys = await personKeysOfPathSegment(deps, person);
    const cancelled = await cancelPendingInvitations(deps, personKeys, now);
    return json(200, { ok: true, personKeys, cancelled: cancelled.map(invitationView) });
  },
  'GET /v1/followup-fatigue': async ({ event }) => {
    requirePrincipal(event, 'admin');
    return json(200, await deps.fatigue.get());
  },
  'PUT /v1/followup-fatigue': async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const policy = parseBody(event, fatiguePolicySchema);
    await deps.fatigue.put(policy, now);
    return json(200, policy);
  },
  'POST /v1/unsubscribes': async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const body = parseBody(event, unsubscribeBody);
    const personKey = body.email ? `email:${normalisedEmail(body.email)}` : `id:${body.personId}`;
    const result = await unsubscribe(deps, personKey, 'api', now);
    return json(200, {
      personKeys: result.personKeys,
      unsubscribedAt: result.unsubscribedAt,
      cancelled: result.cancelled.map(invitationView),
    });
  },
  'GET /v1/unsubscribes': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const query = parseQuery(event, listQuery);
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
};

export const handler = httpRouter(routes);
