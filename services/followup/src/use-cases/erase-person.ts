import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Causation, type EventData, type PersonErased, PersonErasureRequested } from '@cxloop/events';
import type { PublishEvents, ReceivedEvent } from '@cxloop/lambda-kit';
import { erasePersonalItems, reportErasure } from '@cxloop/privacy';
import { ulid } from 'ulid';
import { type ErasureRecord, type ErasureService, erasureIdentifiers } from '../domain/erasure';
import type { AutopilotMembershipStore } from '../store/autopilot';
import type { CaseStore } from '../store/cases';
import type { AutopilotRunSchedules, InvitationSchedules, InvitationStore } from '../store/invitations';
import type { MessageStore } from '../store/messages';
import type { OutreachStore } from '../store/outreach';
import type { PeopleStore } from '../store/people';
import type { ErasureStore } from '../store/privacy';
import type { SuppressionStore } from '../store/suppressions';
import type { SurveyPeopleStore } from '../store/survey-people';
import { personKeysOfPathSegment } from './cancel-invitations';

export interface RequestErasureDeps {
  people: Pick<PeopleStore, 'get' | 'keysWithEmail'>;
  erasures: Pick<ErasureStore, 'create'>;
  publish: PublishEvents;
}

/**
 * `DELETE /v1/people/{person}`: records the erasure and asks every service (this one included) to erase the person,
 * naming them only by hashes of every identifier follow-up links to them. Each call is a new erasure; erasing again
 * is harmless (there is nothing left to find).
 */
export async function requestErasure(
  deps: RequestErasureDeps,
  person: string,
  causation: Causation,
  now: Date,
): Promise<ErasureRecord> {
  const personKeys = await personKeysOfPathSegment(deps, person);
  const profiles = (await Promise.all(personKeys.map((personKey) => deps.people.get(personKey)))).filter(
    (profile) => profile !== undefined,
  );
  const identifiers = erasureIdentifiers(personKeys, profiles);
  const record: ErasureRecord = {
    erasureId: `er_${ulid()}`,
    requestedAt: now.toISOString(),
    identifierCount: identifiers.length,
    services: {},
  };
  await deps.erasures.create(record);
  await deps.publish([
    {
      contract: PersonErasureRequested,
      data: { erasureId: record.erasureId, identifiers, requestedAt: record.requestedAt },
      causation,
    },
  ]);
  return record;
}

export interface EraseFollowUpDataDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  people: Pick<PeopleStore, 'erase'>;
  cases: Pick<CaseStore, 'erase' | 'erasePersonLink'>;
  messages: Pick<MessageStore, 'erase'>;
  invitations: Pick<InvitationStore, 'erase'>;
  schedules: Pick<InvitationSchedules, 'delete'>;
  suppressions: Pick<SuppressionStore, 'erase' | 'suppressErased'>;
  memberships: Pick<AutopilotMembershipStore, 'remove'>;
  runs: Pick<AutopilotRunSchedules, 'delete'>;
  surveyPeople: Pick<SurveyPeopleStore, 'erase'>;
  outreach: Pick<OutreachStore, 'eraseCandidate'>;
  publish: PublishEvents;
}

/**
 * Follow-up's part of an erasure: the person's profile, pending or past invitations and Autopilot memberships go
 * (with their schedules), and so do their entry among a survey's people and their outreach candidacies; cases keep our work but lose the
 * customer, the message log loses the hash that tied entries to them, and a suppression by hash makes sure nothing
 * is ever sent to any of their identifiers again. Reports the counts.
 */
export async function eraseFollowUpData(
  deps: EraseFollowUpDataDeps,
  event: ReceivedEvent<typeof PersonErasureRequested>,
  now: Date,
): Promise<Record<string, number>> {
  const request = event.data;
  const items = await erasePersonalItems(
    deps.db,
    deps.tableName,
    request.erasureId,
    request.identifiers,
    {
      person: deps.people.erase,
      personCase: deps.cases.erasePersonLink,
      case: (key) => deps.cases.erase(key),
      message: deps.messages.erase,
      invitation: async (key) => {
        const invitation = await deps.invitations.erase(key);
        if (invitation?.status === 'pending') await deps.schedules.delete(invitation.invitationId);
      },
      suppression: deps.suppressions.erase,
      autopilotMembership: async (key) => {
        const membership = await deps.memberships.remove(key);
        if (membership?.nextRunAt) await deps.runs.delete(membership.membershipId, membership.nextRunAt);
      },
      surveyPerson: deps.surveyPeople.erase,
      outreachCandidate: deps.outreach.eraseCandidate,
    },
    now,
  );
  await deps.suppressions.suppressErased(request.identifiers, now.toISOString(), 'erasure');
  await reportErasure(deps.publish, 'followup', event, items, now);
  return items;
}

/** A service's PersonErased report joins the erasure record (once per service). */
export async function recordErasureReport(
  deps: { erasures: Pick<ErasureStore, 'recordReport'> },
  report: EventData<(typeof PersonErased)[keyof typeof PersonErased]>,
): Promise<ErasureRecord | undefined> {
  return deps.erasures.recordReport(report.erasureId, report.service as ErasureService, {
    items: report.items,
    erasedAt: report.erasedAt,
  });
}
