import { buildDetail, CaseResolved, type EventData, FeedbackCategorised } from '@cxloop/events';
import { openInvitation } from '@cxloop/link-tokens';
import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { fatiguePolicySchema } from '../src/domain/fatigue';
import { invitePersonRequestSchema } from '../src/domain/invitations';
import type { OutboundJobInput } from '../src/domain/outbound-job';
import { surveyLink } from '../src/domain/survey-links';
import { type InvitationSchedules, invitationStore } from '../src/store/invitations';
import { fatiguePolicyStore, peopleStore } from '../src/store/people';
import { suppressionStore } from '../src/store/suppressions';
import { cancelPendingInvitations, personKeysOfPathSegment } from '../src/use-cases/cancel-invitations';
import { deliverDueInvitation, type InvitationDeps, invitePerson } from '../src/use-cases/invite-person';
import { recordAnswer } from '../src/use-cases/record-answer';
import { resurvey } from '../src/use-cases/resurvey';
import { recordSesFeedback } from '../src/use-cases/ses-feedback';
import { unsubscribe } from '../src/use-cases/unsubscribe';

const DAY = 86_400_000;
const invitationKey = 'test-invitation-key';
// 12:00 UTC: outside the default quiet hours in UTC.
const noon = new Date('2026-11-20T12:00:00Z');
const at = (ms: number) => new Date(noon.getTime() + ms);

/** Stores on a fresh table in DynamoDB Local; the outbound queue and Scheduler are recorded at their ports. */
async function testbed(policy: Record<string, unknown> = { newContactDelayDays: 0 }) {
  const { db, tableName } = await createServiceTable('followup-invitations');
  const jobs: OutboundJobInput[] = [];
  const schedules = new Map<string, Date>();
  const scheduleLog: string[] = [];
  const recordingSchedules: InvitationSchedules = {
    async create(invitationId, when) {
      scheduleLog.push(`create ${invitationId}`);
      if (!schedules.has(invitationId)) schedules.set(invitationId, when);
    },
    async delete(invitationId) {
      scheduleLog.push(`delete ${invitationId}`);
      schedules.delete(invitationId);
    },
  };
  const deps: InvitationDeps = {
    people: peopleStore(db, tableName),
    invitations: invitationStore(db, tableName),
    suppressions: suppressionStore(db, tableName),
    fatigue: fatiguePolicyStore(db, tableName),
    schedules: recordingSchedules,
    enqueue: async (batch) => {
      jobs.push(...batch);
    },
    surveyUrl: async (invitation) => surveyLink({ publicApiUrl: 'https://api.example.com', invitationKey, invitation }),
  };
  await deps.fatigue.put(fatiguePolicySchema.parse(policy), noon);
  return { deps, jobs, schedules, scheduleLog };
}

const request = (body: Record<string, unknown>) => invitePersonRequestSchema.parse({ surveyId: 'srv_nps', ...body });

describe('survey invitations against DynamoDB Local', () => {
  it('two concurrent invitations for one person inside the throttle window: exactly one is reserved and sent', async () => {
    const { deps, jobs } = await testbed();
    const results = await Promise.all([
      invitePerson(deps, request({ email: 'anna@example.com', name: 'Anna' }), noon),
      invitePerson(deps, request({ email: 'Anna@Example.com', surveyId: 'srv_csat' }), noon),
    ]);

    expect(results.map((result) => result.status).sort()).toEqual(['sent', 'suppressed']);
    const loser = results.find((result) => result.status === 'suppressed');
    expect(loser).toMatchObject({ reason: 'recently_surveyed', until: at(90 * DAY).toISOString() });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ channel: 'email', to: 'anna@example.com', template: 'survey_invitation' });
    const person = await deps.people.get('email:anna@example.com');
    expect(person?.lastInvitedAt).toBe(noon.toISOString());
    expect(person?.name).toBe('Anna');
  });

  it('under a burst of ten concurrent requests for one person, still exactly one', async () => {
    const { deps, jobs } = await testbed();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        invitePerson(deps, request({ id: 'customer-7', email: `c7+${index}@example.com` }), noon),
      ),
    );
    expect(results.filter((result) => result.status === 'sent')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'suppressed')).toHaveLength(9);
    expect(jobs).toHaveLength(1);
  });

  it('counts the interval from the latest survey answer, whichever channel it came through', async () => {
    const { deps, jobs } = await testbed();
    const answer = FeedbackCategorised.dataSchema.parse(FeedbackCategorised.example).feedback;
    const answered = {
      ...answer,
      respondent: { id: 'customer-5', verified: true, emailVerified: false },
      occurredAt: at(-DAY).toISOString(),
    };
    expect(await recordAnswer(deps.people, answered)).toBe(true);
    expect(await recordAnswer(deps.people, { ...answered, occurredAt: at(-5 * DAY).toISOString() })).toBe(true);
    expect(
      await recordAnswer(deps.people, { ...answered, respondent: { verified: false, emailVerified: false } }),
    ).toBe(false);

    const tooSoon = await invitePerson(deps, request({ id: 'customer-5', email: 'five@example.com' }), noon);
    expect(tooSoon).toMatchObject({
      status: 'suppressed',
      reason: 'recently_surveyed',
      until: at(89 * DAY).toISOString(),
    });
    expect(jobs).toHaveLength(0);
    expect(await deps.people.get('id:customer-5')).toMatchObject({ lastAnsweredAt: at(-DAY).toISOString() });
  });

  it('invites again only after the interval, and records every decision', async () => {
    const { deps, jobs } = await testbed();
    const first = await invitePerson(deps, request({ email: 'ben@example.com' }), noon);
    const tooSoon = await invitePerson(deps, request({ email: 'ben@example.com' }), at(89 * DAY));
    const later = await invitePerson(deps, request({ email: 'ben@example.com' }), at(90 * DAY));
    expect([first.status, tooSoon.status, later.status]).toEqual(['sent', 'suppressed', 'sent']);
    expect(jobs).toHaveLength(2);
    if (tooSoon.status !== 'suppressed') throw new Error('expected suppressed');
    expect(await deps.invitations.get(tooSoon.invitation.invitationId)).toMatchObject({
      status: 'suppressed',
      reason: 'recently_surveyed',
    });
  });

  it('sends the e-mail job with a survey link the hosted page opens with the invitation key', async () => {
    const { deps, jobs } = await testbed();
    const result = await invitePerson(deps, request({ id: 'u-9', email: 'cleo@example.com', locale: 'ru-RU' }), noon);
    expect(result.status).toBe('sent');
    const job = jobs[0];
    if (job?.channel !== 'email') throw new Error('expected an e-mail job');
    expect(job).toMatchObject({ locale: 'ru', personKey: 'id:u-9', purpose: 'survey_invitation' });
    const url = new URL(job.variables?.surveyUrl as string);
    expect(url.pathname).toBe('/s/srv_nps');
    expect(openInvitation(invitationKey, 'srv_nps', url.searchParams.get('t') as string, noon)).toMatchObject({
      respondentId: 'u-9',
      email: 'cleo@example.com',
      channel: 'email',
    });
  });

  it('gives the slot back when the outbound queue refuses the job, so that a retry sends it', async () => {
    const { deps, jobs } = await testbed();
    const refusing = { ...deps, enqueue: async () => Promise.reject(new Error('queue unavailable')) };
    await expect(invitePerson(refusing, request({ email: 'kim@example.com' }), noon)).rejects.toThrow(
      'queue unavailable',
    );
    expect((await deps.people.get('email:kim@example.com'))?.lastInvitedAt).toBeUndefined();
    expect(await invitePerson(deps, request({ email: 'kim@example.com' }), at(1000))).toMatchObject({ status: 'sent' });
    expect(jobs).toHaveLength(1);
  });

  it('saves without sending when send is false', async () => {
    const { deps, jobs, schedules } = await testbed();
    const result = await invitePerson(deps, request({ phone: '+79991234567', send: false }), noon);
    expect(result).toMatchObject({ status: 'saved', person: { personKey: 'phone:+79991234567' } });
    expect(jobs).toEqual([]);
    expect(schedules.size).toBe(0);
  });

  it('schedules a delayed invitation; cancelling it deletes the schedule and gives the slot back, once', async () => {
    const { deps, jobs, schedules } = await testbed();
    const scheduled = await invitePerson(deps, request({ id: 'u-1', email: 'dan@example.com', delay: 3600 }), noon);
    expect(scheduled.status).toBe('scheduled');
    if (scheduled.status !== 'scheduled') throw new Error('expected scheduled');
    expect(scheduled.invitation.sendAt).toBe(at(3600_000).toISOString());
    expect([...schedules.keys()]).toEqual([scheduled.invitation.invitationId]);
    expect(jobs).toEqual([]);
    // The reservation holds meanwhile: another request is suppressed.
    expect((await invitePerson(deps, request({ id: 'u-1', email: 'dan@example.com' }), noon)).status).toBe(
      'suppressed',
    );

    const keys = await personKeysOfPathSegment(deps, 'Dan@Example.com');
    expect(keys.sort()).toEqual(['email:dan@example.com', 'id:u-1']);
    const cancelled = await cancelPendingInvitations(deps, keys, at(60_000));
    expect(cancelled.map((invitation) => invitation.invitationId)).toEqual([scheduled.invitation.invitationId]);
    expect(cancelled[0]).toMatchObject({ status: 'cancelled', cancelledAt: at(60_000).toISOString() });
    expect(schedules.size).toBe(0);
    expect(await cancelPendingInvitations(deps, keys, at(120_000))).toEqual([]);
    expect((await deps.people.get('id:u-1'))?.lastInvitedAt).toBeUndefined();

    // A schedule that fires after all finds nothing to send; a new invitation may be made.
    expect(await deliverDueInvitation(deps, scheduled.invitation.invitationId, at(3600_000))).toBe('not_pending');
    expect((await invitePerson(deps, request({ id: 'u-1', email: 'dan@example.com' }), at(180_000))).status).toBe(
      'sent',
    );
    expect(jobs).toHaveLength(1);
  });

  it('delivers a due invitation once, and not to a person suppressed meanwhile', async () => {
    const { deps, jobs } = await testbed();
    const first = await invitePerson(deps, request({ email: 'eve@example.com', delay: 60 }), noon);
    const second = await invitePerson(deps, request({ email: 'fay@example.com', delay: 60 }), noon);
    if (first.status !== 'scheduled' || second.status !== 'scheduled') throw new Error('expected scheduled');

    expect(await deliverDueInvitation(deps, first.invitation.invitationId, at(60_000))).toBe('sent');
    expect(await deliverDueInvitation(deps, first.invitation.invitationId, at(61_000))).toBe('not_pending');
    await deps.suppressions.suppress({
      personKey: 'email:fay@example.com',
      reason: 'bounced',
      at: noon.toISOString(),
      source: 'test',
    });
    expect(await deliverDueInvitation(deps, second.invitation.invitationId, at(60_000))).toBe('suppressed');
    expect(await deliverDueInvitation(deps, 'inv_00000000000000000000000000000000', at(60_000))).toBe('unknown');
    expect(jobs.map((job) => (job.channel === 'email' ? job.to : ''))).toEqual(['eve@example.com']);
  });

  it('holds a new contact, and a request inside quiet hours, until their time', async () => {
    const { deps } = await testbed({ newContactDelayDays: 7, defaultTimeZone: 'Europe/Moscow' });
    const fresh = await invitePerson(deps, request({ email: 'gil@example.com' }), noon);
    expect(fresh).toMatchObject({ status: 'scheduled', invitation: { sendAt: at(7 * DAY).toISOString() } });
    const nightInTokyo = await invitePerson(
      deps,
      request({ email: 'hana@example.com', timeZone: 'Asia/Tokyo', delay: 0 }),
      new Date('2026-11-20T14:00:00Z'), // 23:00 in Tokyo
    );
    // A new contact too: seven days later, at 23:00 local again, so 09:00 Tokyo time the day after.
    expect(nightInTokyo).toMatchObject({ status: 'scheduled', invitation: { sendAt: '2026-11-28T00:00:00.000Z' } });
  });

  it('unsubscribes a person from everything: both keys suppressed, pending invitations cancelled', async () => {
    const { deps, jobs, schedules } = await testbed();
    const pending = await invitePerson(deps, request({ id: 'u-5', email: 'ivy@example.com', delay: 600 }), noon);
    expect(pending.status).toBe('scheduled');

    const result = await unsubscribe(deps, 'id:u-5', 'one_click_link', at(1000));
    expect(result.personKeys.sort()).toEqual(['email:ivy@example.com', 'id:u-5']);
    expect(result.cancelled).toHaveLength(1);
    expect(schedules.size).toBe(0);
    expect(await deps.suppressions.findAny(['email:ivy@example.com'])).toMatchObject({ reason: 'unsubscribed' });
    // Idempotent, and nothing is sent afterwards, by id or by address, however long after.
    await unsubscribe(deps, 'id:u-5', 'one_click_link', at(2000));
    for (const body of [{ id: 'u-5', email: 'ivy@example.com' }, { email: 'ivy@example.com' }]) {
      expect(await invitePerson(deps, request(body), at(400 * DAY))).toMatchObject({
        status: 'suppressed',
        reason: 'unsubscribed',
      });
    }
    expect(jobs).toEqual([]);
  });

  it('lists suppressions newest first, page by page, by reason', async () => {
    const { deps } = await testbed();
    await unsubscribe(deps, 'email:a@example.com', 'api', at(1000));
    await unsubscribe(deps, 'email:b@example.com', 'api', at(2000));
    await recordSesFeedback(
      deps,
      {
        source: 'aws.ses',
        'detail-type': 'Email Bounced',
        detail: {
          eventType: 'Bounce',
          bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'c@example.com' }] },
          mail: { messageId: 'm-1' },
        },
      },
      at(3000),
    );
    await unsubscribe(deps, 'email:a@example.com', 'api', at(4000)); // again: keeps the first

    const first = await deps.suppressions.list({ limit: 2 });
    expect(first.suppressions.map((s) => s.personKey)).toEqual(['email:c@example.com', 'email:b@example.com']);
    const second = await deps.suppressions.list({ limit: 2, ...(first.next ? { cursor: first.next } : {}) });
    expect(second.suppressions.map((s) => [s.personKey, s.at])).toEqual([
      ['email:a@example.com', at(1000).toISOString()],
    ]);
    const bounced = await deps.suppressions.list({ limit: 10, reason: 'bounced' });
    expect(bounced.suppressions).toEqual([
      { personKey: 'email:c@example.com', reason: 'bounced', at: at(3000).toISOString(), source: 'ses:m-1' },
    ]);
    expect(await invitePerson(deps, request({ email: 'C@example.com' }), at(5000))).toMatchObject({
      status: 'suppressed',
      reason: 'bounced',
    });
  });
});

describe('re-survey of a resolved case against DynamoDB Local', () => {
  const resolved = (overrides: Partial<EventData<typeof CaseResolved>> = {}) =>
    buildDetail(CaseResolved, { ...CaseResolved.example, ...overrides }, { correlationId: 'c-1' }).data;

  it('invites the customer once per case, bypassing the interval (they are waiting for us)', async () => {
    const { deps, jobs } = await testbed();
    // Surveyed yesterday: a normal invitation would be suppressed.
    await invitePerson(deps, request({ email: 'anna@example.com' }), at(-DAY));
    expect(jobs).toHaveLength(1);

    expect(await resurvey(deps, resolved(), noon)).toBe('sent');
    expect(await resurvey(deps, resolved(), at(1000))).toBe('sent');
    expect(jobs).toHaveLength(2);
    expect(jobs[1]).toMatchObject({
      purpose: 'resurvey',
      template: 'resolution_survey',
      to: 'anna@example.com',
      locale: 'ru',
      caseId: CaseResolved.example.caseId,
    });
    const url = new URL((jobs[1] as { variables: { surveyUrl: string } }).variables.surveyUrl);
    expect(url.pathname).toBe(`/s/${CaseResolved.example.resurveySurveyId}`);
    // It counts as the latest invitation for later ones.
    expect((await deps.people.get('email:anna@example.com'))?.lastInvitedAt).toBe(noon.toISOString());
  });

  it('waits for the end of quiet hours; skips closed cases, cases without a survey or an address, and suppressed people', async () => {
    const { deps, jobs, schedules } = await testbed({ defaultTimeZone: 'Europe/Moscow' });
    const lateEvening = new Date('2026-11-20T19:30:00Z'); // 22:30 in Moscow
    expect(await resurvey(deps, resolved({ caseId: 'case_late' }), lateEvening)).toBe('scheduled');
    expect([...schedules.values()]).toEqual([new Date('2026-11-21T06:00:00Z')]);

    expect(await resurvey(deps, resolved({ caseId: 'case_2', resurveySurveyId: undefined }), noon)).toBe('skipped');
    expect(await resurvey(deps, resolved({ caseId: 'case_5', status: 'closed' }), noon)).toBe('skipped');
    expect(await resurvey(deps, resolved({ caseId: 'case_3', respondent: { id: 'u-1' } }), noon)).toBe('skipped');
    await unsubscribe(deps, 'email:bob@example.com', 'api', noon);
    expect(await resurvey(deps, resolved({ caseId: 'case_4', respondent: { email: 'bob@example.com' } }), noon)).toBe(
      'suppressed',
    );
    expect(jobs).toEqual([]);
  });
});
