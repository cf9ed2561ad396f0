import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type EventData, PersonErased, PersonErasureRequested } from '@cxloop/events';
import type { EventToPublish } from '@cxloop/lambda-kit';
import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { openCase } from '../src/domain/case-lifecycle';
import { erasureStatus } from '../src/domain/erasure';
import { fatiguePolicySchema } from '../src/domain/fatigue';
import { invitePersonRequestSchema } from '../src/domain/invitations';
import { identifierOfPersonKey } from '../src/domain/person';
import { autopilotConfigurationStore, autopilotMembershipStore } from '../src/store/autopilot';
import { caseStore } from '../src/store/cases';
import { type AutopilotRunSchedules, type InvitationSchedules, invitationStore } from '../src/store/invitations';
import { messageStore } from '../src/store/messages';
import { outreachStore } from '../src/store/outreach';
import { fatiguePolicyStore, peopleStore } from '../src/store/people';
import { erasureStore } from '../src/store/privacy';
import { suppressionStore } from '../src/store/suppressions';
import { surveyPeopleStore } from '../src/store/survey-people';
import { enrol } from '../src/use-cases/autopilot';
import { eraseFollowUpData, recordErasureReport, requestErasure } from '../src/use-cases/erase-person';
import { invitePerson } from '../src/use-cases/invite-person';
import { recordOutreachCandidate } from '../src/use-cases/segment-outreach';
import { categorised } from './categorised-fixture';

const noon = new Date('2026-11-20T12:00:00Z');
const causation = { correlationId: 'test' };
const openCaseAction = {
  type: 'open_case',
  reason: 'detractor',
  routing: { to: 'account_owner' },
  priority: 'high',
  slaHours: 24,
  ruleId: 'detractor',
} as const;

async function testbed() {
  const { db, tableName } = await createServiceTable('followup-erasure');
  const published: EventToPublish[] = [];
  const deleted: string[] = [];
  const schedules: InvitationSchedules = {
    create: async () => {},
    delete: async (invitationId) => {
      deleted.push(invitationId);
    },
  };
  const deletedRuns: string[] = [];
  const runs: AutopilotRunSchedules = {
    create: async () => {},
    delete: async (membershipId, at) => {
      deletedRuns.push(`${membershipId} ${at}`);
    },
  };
  const stores = {
    configurations: autopilotConfigurationStore(db, tableName),
    memberships: autopilotMembershipStore(db, tableName),
    surveyPeople: surveyPeopleStore(db, tableName),
    people: peopleStore(db, tableName),
    invitations: invitationStore(db, tableName),
    suppressions: suppressionStore(db, tableName),
    fatigue: fatiguePolicyStore(db, tableName),
    cases: caseStore(db, tableName),
    messages: messageStore(db, tableName),
    erasures: erasureStore(db, tableName),
    outreach: outreachStore(db, tableName),
  };
  const publish = async (events: readonly EventToPublish[]) => {
    published.push(...events);
  };
  const scan = async () => (await db.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
  return { db, tableName, stores, schedules, runs, publish, published, deleted, deletedRuns, scan };
}

const detractor = (respondent: Record<string, unknown>, text: string, feedbackId: string) =>
  categorised({
    feedbackId,
    kind: 'nps',
    score: { value: 2, min: 0, max: 10, normalised: 0.2 },
    text,
    respondent: { verified: false, emailVerified: false, ...respondent },
    attributes: { plan: 'pro' },
  });

describe('erasing a person from follow-up against DynamoDB Local', () => {
  it('leaves nothing that names the person, keeps what names no one, suppresses them for good, and counts the same twice', async () => {
    const bed = await testbed();
    const { stores } = bed;
    await stores.fatigue.put(fatiguePolicySchema.parse({ newContactDelayDays: 0 }), noon);

    // Anna: a delayed invitation (pending, with a schedule), a case with her comment and a note, a message, a bounce.
    const invitation = await invitePerson(
      {
        ...stores,
        schedules: bed.schedules,
        enqueue: async () => {},
        surveyUrl: async () => 'https://api.example.com/s/srv_nps',
      },
      invitePersonRequestSchema.parse({
        surveyId: 'srv_nps',
        email: 'Anna@Example.com',
        id: 'customer-anna',
        delay: 3600,
      }),
      noon,
    );
    expect(invitation.status).toBe('scheduled');
    // …and by her address in the survey's Autopilot, which invited her at once and scheduled its next run.
    const enrolment = await enrol(
      {
        ...stores,
        schedules: bed.schedules,
        runs: bed.runs,
        enqueue: async () => {},
        surveyUrl: async () => 'https://api.example.com/s/srv_nps',
      },
      { surveyId: 'srv_nps', platform: 'email', to: 'anna@example.com', properties: { plan: 'pro' } },
      noon,
    );
    expect(enrolment.membership.nextRunAt).toBeDefined();
    const annasFeedback = detractor(
      { id: 'customer-anna', verified: true, email: 'anna@example.com', emailVerified: true },
      'Anna: the courier was rude',
      'fb_anna',
    );
    // …someone to call if her segment falls…
    expect(await recordOutreachCandidate(stores.outreach, annasFeedback)).toBe(true);
    const annasCase = openCase(annasFeedback, openCaseAction, 'cx-team', noon);
    await stores.cases.create({
      ...annasCase,
      notes: [{ at: noon.toISOString(), author: 'cx', text: 'Called Anna on +79991234567' }],
    });
    await stores.cases.pointPersonTo('id:customer-anna', annasCase.caseId, annasCase.openedAt);
    await stores.messages.recordQueued(
      {
        messageId: 'job-anna-1',
        channel: 'email',
        purpose: 'thank_you',
        recipient: 'sha256:0123456789abcdef',
        identifiers: [identifierOfPersonKey('id:customer-anna'), identifierOfPersonKey('email:anna@example.com')],
      },
      noon,
    );
    await stores.suppressions.suppress({
      personKey: 'email:anna@example.com',
      reason: 'bounced',
      at: noon.toISOString(),
      source: 'ses',
    });
    // Someone who only claimed Anna's address opened a case too: the claim names her, so it goes as well.
    const claimed = openCase(
      detractor({ email: 'anna@example.com' }, 'Claimed: nobody called me', 'fb_claim'),
      openCaseAction,
      'cx-team',
      noon,
    );
    await stores.cases.create(claimed);

    // Bob, who stays.
    await stores.people.upsert('email:bob@example.com', { email: 'bob@example.com' }, noon);
    const bobsFeedback = detractor({ email: 'bob@example.com', emailVerified: true }, 'Bob: slow refund', 'fb_bob');
    expect(await recordOutreachCandidate(stores.outreach, bobsFeedback)).toBe(true);
    const bobsCase = openCase(bobsFeedback, openCaseAction, 'cx-team', noon);
    await stores.cases.create(bobsCase);

    // Every item that holds personal data has an end of life (suppressions excepted: they must outlive the person).
    for (const item of await bed.scan()) {
      const text = JSON.stringify(item);
      if (/anna|bob|Anna|Bob/.test(text) && !String(item.pk).startsWith('SUPPRESSED#')) {
        expect(item.expiresAt, `${item.pk} ${item.sk}`).toBeGreaterThan(noon.getTime() / 1000);
      }
    }

    const record = await requestErasure({ ...stores, publish: bed.publish }, 'anna@example.com', causation, noon);
    const request = bed.published.find((event) => event.contract === PersonErasureRequested)?.data as EventData<
      typeof PersonErasureRequested
    >;
    expect(JSON.stringify(request)).not.toMatch(/anna/i);
    expect(request.identifiers.map((identifier) => identifier.kind).sort()).toEqual(['email', 'respondentId']);

    const deps = {
      ...stores,
      db: bed.db,
      tableName: bed.tableName,
      schedules: bed.schedules,
      runs: bed.runs,
      publish: bed.publish,
    };
    const received = {
      id: 'event-1',
      metadata: { eventId: 'event-1', schemaVersion: 1, occurredAt: noon.toISOString(), correlationId: 'test' },
      data: request,
    };
    const items = await eraseFollowUpData(deps, received, noon);
    expect(items).toEqual({
      person: 2,
      invitation: 2,
      case: 2,
      personCase: 1,
      message: 1,
      suppression: 1,
      autopilotMembership: 1,
      surveyPerson: 1,
      outreachCandidate: 1,
    });
    expect(bed.deleted).toHaveLength(1);
    expect(bed.deletedRuns).toEqual([`${enrolment.membership.membershipId} ${enrolment.membership.nextRunAt}`]);

    const remaining = JSON.stringify(await bed.scan());
    for (const trace of [
      'anna@example.com',
      'Anna@Example.com',
      'customer-anna',
      'courier was rude',
      '+79991234567',
      'nobody called me',
    ]) {
      expect(remaining).not.toContain(trace);
    }
    expect(remaining).toContain('bob@example.com');
    expect(remaining).toContain('Bob: slow refund');
    const erasedCase = await stores.cases.get(annasCase.caseId);
    expect(erasedCase?.case).toMatchObject({ status: 'open', score: 2, owner: 'cx-team', notes: [] });
    expect(erasedCase?.case.erasedAt).toBeDefined();
    // Never contacted again, by any of her identifiers.
    expect(await stores.suppressions.findAny(['email:anna@example.com'])).toBeDefined();
    expect(await stores.suppressions.findAny(['id:customer-anna'])).toMatchObject({ reason: 'erased' });

    const again = await eraseFollowUpData(deps, received, noon);
    expect(again).toEqual(items);

    // Progress: pending until every service reported, complete with the fourth; a repeated report changes nothing.
    for (const service of ['collection', 'categorisation', 'aggregation'] as const) {
      await recordErasureReport(stores, {
        erasureId: record.erasureId,
        service,
        items: { x: 1 },
        erasedAt: noon.toISOString(),
      });
    }
    expect(erasureStatus((await stores.erasures.get(record.erasureId))!)).toBe('pending');
    const followUpReport = bed.published.find((event) => event.contract === PersonErased.followup)?.data as EventData<
      typeof PersonErased.followup
    >;
    const complete = await recordErasureReport(stores, followUpReport);
    expect(complete && erasureStatus(complete)).toBe('complete');
    const repeated = await recordErasureReport(stores, { ...followUpReport, items: { person: 99 } });
    expect(repeated?.services.followup?.items).toEqual(items);
  });
});
