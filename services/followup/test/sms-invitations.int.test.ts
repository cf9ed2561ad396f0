import { openInvitation } from '@cxloop/link-tokens';
import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { fatiguePolicySchema } from '../src/domain/fatigue';
import { invitePersonRequestSchema } from '../src/domain/invitations';
import type { OutboundJobInput } from '../src/domain/outbound-job';
import { invitationIdOfShortCode, shortCodeOfInvitationId } from '../src/domain/sms';
import { surveyLink } from '../src/domain/survey-links';
import { type InvitationSchedules, invitationStore } from '../src/store/invitations';
import { fatiguePolicyStore, peopleStore } from '../src/store/people';
import { suppressionStore } from '../src/store/suppressions';
import { deliverDueInvitation, type InvitationDeps, invitePerson } from '../src/use-cases/invite-person';
import { resurvey } from '../src/use-cases/resurvey';
import { handleSmsReply } from '../src/use-cases/sms-replies';

const DAY = 86_400_000;
const invitationKey = 'test-invitation-key';
const api = 'https://api.example.com';
// 12:00 UTC is 15:00 in Moscow: outside the default quiet hours (21:00–09:00).
const noon = new Date('2026-11-20T12:00:00Z');
const at = (ms: number) => new Date(noon.getTime() + ms);

/** The stores on DynamoDB Local; the outbound queue and Scheduler recorded at their ports. */
async function testbed() {
  const { db, tableName } = await createServiceTable('followup-sms');
  const jobs: OutboundJobInput[] = [];
  const schedules = new Map<string, Date>();
  const recordingSchedules: InvitationSchedules = {
    async create(invitationId, when) {
      schedules.set(invitationId, when);
    },
    async delete(invitationId) {
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
    // As the handlers make them: an SMS carries the short link.
    surveyUrl: async (invitation) =>
      invitation.channel === 'sms'
        ? `${api}/i/${shortCodeOfInvitationId(invitation.invitationId)}`
        : surveyLink({ publicApiUrl: api, invitationKey, invitation }),
  };
  await deps.fatigue.put(fatiguePolicySchema.parse({ newContactDelayDays: 0, defaultTimeZone: 'Europe/Moscow' }), noon);
  return { deps, jobs, schedules };
}

const request = (body: Record<string, unknown>) =>
  invitePersonRequestSchema.parse({ surveyId: 'srv_nps', locale: 'ru-RU', ...body });

describe('SMS invitations against DynamoDB Local', () => {
  it('sends an SMS job to the phone number with a short link that names nobody and leads to the signed one', async () => {
    const { deps, jobs } = await testbed();
    const result = await invitePerson(deps, request({ id: 'u-1', phone: '+7 999 123-45-67', channel: 'sms' }), noon);
    expect(result).toMatchObject({ status: 'sent', invitation: { channel: 'sms', to: '+79991234567' } });
    if (result.status !== 'sent') throw new Error('expected sent');
    expect(jobs).toEqual([
      expect.objectContaining({
        channel: 'sms',
        to: '+79991234567',
        personKey: 'id:u-1',
        locale: 'ru',
        template: 'survey_invitation',
        purpose: 'survey_invitation',
      }),
    ]);
    const shortLink = (jobs[0] as { variables: { surveyUrl: string } }).variables.surveyUrl;
    expect(shortLink).toMatch(/^https:\/\/api\.example\.com\/i\/[A-Za-z0-9_-]{22}$/);
    const stored = await deps.invitations.get(invitationIdOfShortCode(shortLink.split('/i/')[1] as string) as string);
    expect(stored).toMatchObject({ invitationId: result.invitation.invitationId, status: 'sent', channel: 'sms' });
    // What the short link redirects to: the hosted page, for the user id, by SMS.
    const signed = new URL(surveyLink({ publicApiUrl: api, invitationKey, invitation: stored! }));
    expect(openInvitation(invitationKey, 'srv_nps', signed.searchParams.get('t') as string, noon)).toMatchObject({
      respondentId: 'u-1',
      channel: 'sms',
    });
    expect(await deps.people.get('id:u-1')).toMatchObject({ phone: '+79991234567', lastInvitedAt: noon.toISOString() });
  });

  it('keeps the quiet hours of the recipient and the fatigue limits, as for e-mail', async () => {
    const { deps, jobs, schedules } = await testbed();
    // 19:00 UTC is 22:00 in Moscow: held until 09:00 there (06:00 UTC) the next morning.
    const evening = new Date('2026-11-20T19:00:00Z');
    const held = await invitePerson(deps, request({ phone: '+79991234567' }), evening);
    expect(held).toMatchObject({ status: 'scheduled', invitation: { sendAt: '2026-11-21T06:00:00.000Z' } });
    expect([...schedules.values()]).toEqual([new Date('2026-11-21T06:00:00Z')]);
    expect(jobs).toEqual([]);
    // The same person by e-mail meanwhile: one person, one slot, whatever the channel.
    expect(await invitePerson(deps, request({ phone: '+79991234567', channel: 'sms' }), at(DAY))).toMatchObject({
      status: 'suppressed',
      reason: 'recently_surveyed',
    });
    if (held.status !== 'scheduled') throw new Error('expected scheduled');
    expect(await deliverDueInvitation(deps, held.invitation.invitationId, new Date('2026-11-21T06:00:00Z'))).toBe(
      'sent',
    );
    expect(jobs.map((job) => job.channel)).toEqual(['sms']);
  });

  it('a STOP reply unsubscribes the number: pending invitations are cancelled, later ones suppressed', async () => {
    const { deps, jobs, schedules } = await testbed();
    const pending = await invitePerson(deps, request({ phone: '+79991234567', delay: 3600 }), noon);
    expect(pending.status).toBe('scheduled');
    const reply = {
      originationNumber: '+79991234567',
      destinationNumber: '+12125550101',
      messageBody: 'Стоп',
      inboundMessageId: 'in-1',
    };
    expect(await handleSmsReply(deps, { ...reply, messageBody: 'Спасибо!' }, at(60_000))).toBe('ignored');
    expect(await handleSmsReply(deps, reply, at(60_000))).toBe('unsubscribed');
    expect(await handleSmsReply(deps, reply, at(120_000))).toBe('unsubscribed');
    expect(schedules.size).toBe(0);
    if (pending.status !== 'scheduled') throw new Error('expected scheduled');
    expect(await deps.invitations.get(pending.invitation.invitationId)).toMatchObject({
      status: 'cancelled',
      reason: 'unsubscribed',
    });
    expect(await deps.suppressions.findAny(['phone:+79991234567'])).toMatchObject({
      reason: 'unsubscribed',
      source: 'sms_stop',
      at: at(60_000).toISOString(),
    });
    // Known by another key with that number: still never texted.
    expect(
      await invitePerson(deps, request({ id: 'u-9', phone: '+79991234567', channel: 'sms' }), at(200 * DAY)),
    ).toMatchObject({ status: 'suppressed', reason: 'unsubscribed' });
    expect(jobs).toEqual([]);
  });

  it('re-surveys by SMS a resolved case whose customer is known by user id with a phone number only', async () => {
    const { deps, jobs } = await testbed();
    await invitePerson(deps, request({ id: 'u-7', phone: '+79991234567', send: false }), noon);
    const resolved = {
      caseId: 'case_sms_1',
      feedbackId: 'fb_1',
      status: 'resolved' as const,
      openedAt: noon.toISOString(),
      resolvedAt: noon.toISOString(),
      respondent: { id: 'u-7', locale: 'ru-RU' },
      resurveySurveyId: 'srv_csat',
    };
    expect(await resurvey(deps, resolved, noon)).toBe('sent');
    expect(await resurvey(deps, resolved, at(1000))).toBe('sent');
    expect(jobs).toEqual([
      expect.objectContaining({
        channel: 'sms',
        to: '+79991234567',
        template: 'resolution_survey',
        purpose: 'resurvey',
      }),
    ]);
    // Nobody to reach: no address, and no phone number on record.
    expect(await resurvey(deps, { ...resolved, caseId: 'case_sms_2', respondent: { id: 'u-8' } }, noon)).toBe(
      'skipped',
    );
  });
});
