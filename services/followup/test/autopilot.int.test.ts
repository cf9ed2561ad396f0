import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { fatiguePolicySchema } from '../src/domain/fatigue';
import type { OutboundJobInput } from '../src/domain/outbound-job';
import { autopilotConfigurationStore, autopilotMembershipStore } from '../src/store/autopilot';
import { type AutopilotRunSchedules, type InvitationSchedules, invitationStore } from '../src/store/invitations';
import { fatiguePolicyStore, peopleStore } from '../src/store/people';
import { suppressionStore } from '../src/store/suppressions';
import { surveyPeopleStore } from '../src/store/survey-people';
import { type AutopilotDeps, deliverAutopilotRun, enrol, leave } from '../src/use-cases/autopilot';

const DAY = 86_400_000;
const noon = new Date('2026-11-20T12:00:00Z');
const at = (ms: number) => new Date(noon.getTime() + ms);

async function testbed() {
  const { db, tableName } = await createServiceTable('followup-autopilot');
  const jobs: OutboundJobInput[] = [];
  const runs = new Map<string, string>();
  const schedules: InvitationSchedules = { create: async () => {}, delete: async () => {} };
  const runSchedules: AutopilotRunSchedules = {
    create: async (membershipId, when) => {
      runs.set(`${membershipId} ${when}`, when);
    },
    delete: async (membershipId, when) => {
      runs.delete(`${membershipId} ${when}`);
    },
  };
  const deps: AutopilotDeps = {
    people: peopleStore(db, tableName),
    invitations: invitationStore(db, tableName),
    suppressions: suppressionStore(db, tableName),
    fatigue: fatiguePolicyStore(db, tableName),
    configurations: autopilotConfigurationStore(db, tableName),
    memberships: autopilotMembershipStore(db, tableName),
    surveyPeople: surveyPeopleStore(db, tableName),
    schedules,
    runs: runSchedules,
    enqueue: async (batch) => {
      jobs.push(...batch);
    },
    surveyUrl: async () => 'https://api.example.com/s/srv_nps',
  };
  // Fatigue: 30 days between surveys, no new-contact delay, quiet hours 21–09 UTC.
  await deps.fatigue.put(fatiguePolicySchema.parse({ newContactDelayDays: 0, minIntervalDays: 30 }), noon);
  await deps.configurations.put('srv_nps', 'email', { active: true, frequency: 60 * 86_400 }, noon);
  return { deps, jobs, runs };
}

describe('Autopilot against DynamoDB Local', () => {
  it('invites at enrolment, again a frequency later through the fatigue limits, and stops when the person leaves', async () => {
    const { deps, jobs, runs } = await testbed();
    const first = await enrol(deps, { surveyId: 'srv_nps', platform: 'email', to: 'Anna@Example.com' }, noon);
    expect(first.invitation).toMatchObject({ status: 'sent', to: 'anna@example.com' });
    expect(jobs).toHaveLength(1);
    const nextRunAt = at(60 * DAY).toISOString();
    expect(first.membership.nextRunAt).toBe(nextRunAt);
    expect([...runs.values()]).toEqual([nextRunAt]);
    expect(await deps.surveyPeople.has('srv_nps', 'email:anna@example.com')).toBe(true);

    // Enrolling again changes the properties only: no second invitation, the same next run.
    const again = await enrol(
      deps,
      { surveyId: 'srv_nps', platform: 'email', to: 'anna@example.com', properties: { plan: 'pro' } },
      at(DAY),
    );
    expect(again.invitation).toBeUndefined();
    expect(again.membership).toMatchObject({ nextRunAt, properties: { plan: 'pro' }, createdAt: noon.toISOString() });

    // A stale schedule does nothing; the current one invites and schedules the one after.
    expect(await deliverAutopilotRun(deps, first.membership.membershipId, noon.toISOString(), at(60 * DAY))).toBe(
      'stale',
    );
    expect(await deliverAutopilotRun(deps, first.membership.membershipId, nextRunAt, at(60 * DAY))).toBe('ran');
    expect(jobs).toHaveLength(2);
    const afterRun = await deps.memberships.get(first.membership.membershipId);
    expect(afterRun?.nextRunAt).toBe(at(120 * DAY).toISOString());

    const left = await leave(deps, 'srv_nps', 'email', 'email:anna@example.com', at(61 * DAY));
    expect(left?.membershipId).toBe(first.membership.membershipId);
    expect(runs.has(`${first.membership.membershipId} ${at(120 * DAY).toISOString()}`)).toBe(false);
    expect(await deps.memberships.get(first.membership.membershipId)).toBeUndefined();
    expect(await deliverAutopilotRun(deps, first.membership.membershipId, afterRun!.nextRunAt!, at(120 * DAY))).toBe(
      'unknown',
    );
  });

  it('waits for the fatigue limits when the person was surveyed recently, and ends after an unsubscribe', async () => {
    const { deps, jobs } = await testbed();
    await deps.people.upsert('email:ben@example.com', { email: 'ben@example.com' }, noon);
    await deps.people.recordInvited('email:ben@example.com', at(-10 * DAY).toISOString());
    const held = await enrol(deps, { surveyId: 'srv_nps', platform: 'email', to: 'ben@example.com' }, noon);
    expect(held.invitation).toMatchObject({ status: 'suppressed', reason: 'recently_surveyed' });
    expect(held.membership.nextRunAt).toBe(at(20 * DAY).toISOString());
    expect(jobs).toHaveLength(0);

    await deps.suppressions.suppress({
      personKey: 'email:ben@example.com',
      reason: 'unsubscribed',
      at: noon.toISOString(),
      source: 'test',
    });
    await deliverAutopilotRun(deps, held.membership.membershipId, held.membership.nextRunAt!, at(20 * DAY));
    expect((await deps.memberships.get(held.membership.membershipId))?.nextRunAt).toBeUndefined();
    expect(jobs).toHaveLength(0);
  });

  it('lists a survey’s members oldest first, page by page', async () => {
    const { deps } = await testbed();
    for (const [index, name] of ['a', 'b', 'c'].entries()) {
      await enrol(deps, { surveyId: 'srv_nps', platform: 'email', to: `${name}@example.com` }, at(index * 1000));
    }
    const first = await deps.memberships.list('srv_nps', 'email', { limit: 2 });
    const second = await deps.memberships.list('srv_nps', 'email', { limit: 2, cursor: first.next! });
    expect([...first.memberships, ...second.memberships].map((membership) => membership.to)).toEqual([
      'a@example.com',
      'b@example.com',
      'c@example.com',
    ]);
    expect((await deps.memberships.list('srv_nps', 'sms', { limit: 10 })).memberships).toEqual([]);
  });
});
