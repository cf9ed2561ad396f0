import type { DelightedPage } from '@cxloop/http-contracts';
import {
  decodeCursor,
  delightedCursorLink,
  encodeCursor,
  InvalidInputError,
  json,
  NotFoundError,
  type PublishEvents,
  type RouteImplementations,
} from '@cxloop/lambda-kit';
import type { AutopilotMembership, AutopilotPlatform } from '../domain/autopilot';
import {
  type DelightedPersonReference,
  delightedAutopilotConfiguration,
  delightedMembership,
  delightedPerson,
  delightedPersonCreated,
  delightedPersonReference,
  delightedSuppression,
  invitationRequestOf,
  membershipPersonOf,
  personKeyOfDelightedRequest,
} from '../domain/delighted';
import { normalisedEmail } from '../domain/person';
import type { autopilotAdminRoutes, delightedPeopleRoutes } from '../routes/delighted';
import type { ErasureStore } from '../store/privacy';
import type { SuppressionReason } from '../store/suppressions';
import { type AutopilotDeps, enrol, leave } from '../use-cases/autopilot';
import { cancelPendingInvitations, personKeysOfPathSegment } from '../use-cases/cancel-invitations';
import { requestErasure } from '../use-cases/erase-person';
import { invitePerson } from '../use-cases/invite-person';
import { unsubscribe } from '../use-cases/unsubscribe';

export interface DelightedPeopleDeps extends AutopilotDeps {
  erasures: Pick<ErasureStore, 'create'>;
  publish: PublishEvents;
}

type Cursor = Record<string, unknown> | undefined;
type Fetch<T> = (limit: number, cursor: Cursor) => Promise<{ items: T[]; next: Cursor }>;

/**
 * One page of a Delighted list read from DynamoDB: from the `page_info` cursor of the Link header the clients
 * follow, or (for a `page` asked for directly) after reading the pages before it.
 */
async function pageOf<T>(query: DelightedPage & { page_info?: string | undefined }, fetch: Fetch<T>) {
  let cursor = query.page_info ? decodeCursor(query.page_info) : undefined;
  if (!query.page_info) {
    for (let page = 1; page < query.page; page++) {
      cursor = (await fetch(query.per_page, cursor)).next;
      if (!cursor) return { items: [] as T[], next: undefined };
    }
  }
  const { items, next } = await fetch(query.per_page, cursor);
  return { items, next: encodeCursor(next) };
}

const missingParameter = (field: string) =>
  new InvalidInputError([{ field, message: 'required to name the person on this platform' }]);

/** Follow-up's Delighted routes and the Autopilot admin routes, over the invitations area's stores. */
export function delightedPeopleImplementations(
  deps: DelightedPeopleDeps,
): RouteImplementations<typeof delightedPeopleRoutes> & RouteImplementations<typeof autopilotAdminRoutes> {
  const personKeyOf = async (reference: DelightedPersonReference) =>
    'personKey' in reference ? reference.personKey : await deps.people.keyOfHash(reference.id);
  const personOf = async (personKey: string) => (await deps.people.get(personKey)) ?? { personKey };

  const suppressions = (reason: SuppressionReason, timeField: 'unsubscribed_at' | 'bounced_at') =>
    (async ({ event, query }) => {
      const page = await pageOf(query, async (limit, cursor) => {
        const listed = await deps.suppressions.list({
          limit,
          reason,
          ...(cursor ? { cursor } : {}),
          ...(query.since ? { since: query.since } : {}),
          ...(query.until ? { until: query.until } : {}),
        });
        return { items: listed.suppressions, next: listed.next };
      });
      const named = page.items.filter((suppression) => suppression.personKey !== 'erased');
      const people = await Promise.all(named.map((suppression) => deps.people.get(suppression.personKey)));
      const items = named.map((suppression, index) =>
        delightedSuppression(suppression, people[index]?.name, timeField),
      );
      return json(200, items, delightedCursorLink(event, query, page.next));
    }) satisfies RouteImplementations<typeof delightedPeopleRoutes>['GET /delighted/v1/bounces'];

  const membershipView = async (membership: AutopilotMembership, now: Date) => {
    const next = membership.lastInvitationId ? await deps.invitations.get(membership.lastInvitationId) : undefined;
    return delightedMembership(membership, await deps.people.get(membership.personKey), next, now);
  };
  const memberOf = (platform: AutopilotPlatform, request: Parameters<typeof membershipPersonOf>[1]) => {
    const named = membershipPersonOf(platform, request);
    if ('missing' in named) throw missingParameter(named.missing);
    return named.reference;
  };

  return {
    'POST /delighted/v1/people': async ({ body, principal: { surveyId }, now }) => {
      const personKey = personKeyOfDelightedRequest(body);
      if (body.last_sent_at) await deps.people.recordInvited(personKey, body.last_sent_at.toISOString());
      await deps.surveyPeople.add(surveyId, personKey, now);
      const result = await invitePerson(deps, invitationRequestOf(body, surveyId), now);
      return json(
        200,
        delightedPersonCreated(result.person, 'invitation' in result ? result.invitation : undefined, now),
      );
    },
    'GET /delighted/v1/people': async ({ event, query, principal: { surveyId }, now }) => {
      if (query.email || query.phone_number) {
        const personKey = query.email ? `email:${normalisedEmail(query.email)}` : `phone:${query.phone_number}`;
        const person = (await deps.surveyPeople.has(surveyId, personKey))
          ? await deps.people.get(personKey)
          : undefined;
        return json(200, person ? [delightedPerson(person, now)] : []);
      }
      const page = await pageOf(query, async (limit, cursor) => {
        const listed = await deps.surveyPeople.list(surveyId, {
          limit,
          ...(cursor ? { cursor } : {}),
          ...(query.since ? { since: query.since } : {}),
          ...(query.until ? { until: query.until } : {}),
        });
        return { items: listed.people, next: listed.next };
      });
      const people = await Promise.all(page.items.map((entry) => deps.people.get(entry.personKey)));
      const items = people.filter((person) => person !== undefined).map((person) => delightedPerson(person, now));
      return json(200, items, delightedCursorLink(event, query, page.next));
    },
    'DELETE /delighted/v1/people/{person}': async ({ path, causation, now }) => {
      const reference = delightedPersonReference(path.person);
      if (!reference) {
        throw new InvalidInputError([
          { field: 'person', message: 'expected a person id, email:<address> or phone_number:<E.164>' },
        ]);
      }
      const personKey = await personKeyOf(reference);
      if (!personKey) throw new NotFoundError('No person with this id');
      const record = await requestErasure(deps, personKey, causation, now);
      return json(202, { ok: true as const, erasure_id: record.erasureId });
    },
    'DELETE /delighted/v1/people/{person}/survey_requests/pending': async ({ path, now }) => {
      await cancelPendingInvitations(deps, await personKeysOfPathSegment(deps, path.person), now);
      return json(200, { ok: true as const });
    },
    'POST /delighted/v1/unsubscribes': async ({ body, now }) => {
      await unsubscribe(deps, `email:${normalisedEmail(body.person_email)}`, 'delighted_api', now);
      return json(200, { ok: true as const });
    },
    'GET /delighted/v1/unsubscribes': suppressions('unsubscribed', 'unsubscribed_at'),
    'GET /delighted/v1/bounces': suppressions('bounced', 'bounced_at'),
    'GET /delighted/v1/autopilot/{platform}': async ({ path, principal: { surveyId } }) =>
      json(200, delightedAutopilotConfiguration(await deps.configurations.get(surveyId, path.platform))),
    'POST /delighted/v1/autopilot/{platform}/memberships': async ({ path: { platform }, body, principal, now }) => {
      const { personKey } = memberOf(platform, body) as { personKey: string };
      const to = personKey.slice(personKey.indexOf(':') + 1);
      const { membership, invitation } = await enrol(
        deps,
        {
          surveyId: principal.surveyId,
          platform,
          to,
          ...(body.person_name ? { name: body.person_name } : {}),
          ...(body.properties ? { properties: body.properties } : {}),
        },
        now,
      );
      const view = invitation
        ? delightedMembership(membership, await personOf(personKey), invitation, now)
        : await membershipView(membership, now);
      return json(200, view);
    },
    'GET /delighted/v1/autopilot/{platform}/memberships': async ({ event, path, query, principal, now }) => {
      const page = await pageOf(query, async (limit, cursor) => {
        const listed = await deps.memberships.list(principal.surveyId, path.platform, {
          limit,
          ...(cursor ? { cursor } : {}),
        });
        return { items: listed.memberships, next: listed.next };
      });
      const items = await Promise.all(page.items.map((membership) => membershipView(membership, now)));
      return json(200, items, delightedCursorLink(event, query, page.next));
    },
    'DELETE /delighted/v1/autopilot/{platform}/memberships': async ({ path: { platform }, query, principal, now }) => {
      const personKey = await personKeyOf(memberOf(platform, query));
      const membership = personKey ? await leave(deps, principal.surveyId, platform, personKey, now) : undefined;
      if (!membership || !personKey) throw new NotFoundError('The person is not a member of this Autopilot');
      const { person } = delightedMembership(membership, await personOf(personKey), undefined, now);
      return json(200, { person });
    },
    'GET /v1/followup-autopilot/{surveyId}/{platform}': async ({ path }) =>
      json(200, await deps.configurations.get(path.surveyId, path.platform)),
    'PUT /v1/followup-autopilot/{surveyId}/{platform}': async ({ path, body, now }) =>
      json(200, await deps.configurations.put(path.surveyId, path.platform, body, now)),
  };
}
