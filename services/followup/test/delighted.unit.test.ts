import { describe, expect, it } from 'vitest';
import type { AutopilotMembership } from '../src/domain/autopilot';
import {
  delightedAutopilotConfiguration,
  delightedMembership,
  delightedPerson,
  delightedPersonCreated,
  delightedPersonId,
  delightedPersonReference,
  delightedPersonRequestSchema,
  delightedSuppression,
  invitationRequestOf,
  membershipPersonOf,
} from '../src/domain/delighted';
import type { SurveyInvitation } from '../src/domain/invitations';

const noon = new Date('2026-11-20T12:00:00Z');
const seconds = (iso: string) => Date.parse(iso) / 1000;
const issuesOf = (body: unknown) =>
  delightedPersonRequestSchema
    .safeParse(body)
    .error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('Delighted people requests', () => {
  it('takes Delighted’s fields and makes the follow-up invitation for the key’s survey', () => {
    const request = delightedPersonRequestSchema.parse({
      email: 'Anna@Example.com',
      name: 'Anna',
      delay: 60,
      properties: { plan: 'pro', seats: 3 },
      last_sent_at: 1_700_000_000,
    });
    expect(request.last_sent_at).toEqual(new Date(1_700_000_000_000));
    expect(invitationRequestOf(request, 'srv_nps')).toEqual({
      email: 'Anna@Example.com',
      name: 'Anna',
      properties: { plan: 'pro', seats: 3 },
      surveyId: 'srv_nps',
      delay: 60,
      send: true,
      channel: 'email',
    });
    expect(
      invitationRequestOf(delightedPersonRequestSchema.parse({ phone_number: '+79991234567' }), 'srv_nps'),
    ).toMatchObject({ phone: '+79991234567', channel: 'sms' });
  });

  it('names the parameter that is wrong', () => {
    expect(issuesOf({})).toEqual(['email: email or phone_number is required']);
    expect(issuesOf({ email: 'not-an-address' })?.[0]).toMatch(/^email: /);
    expect(issuesOf({ email: 'a@example.com', channel: 'sms' })).toEqual([
      'phone_number: required for the sms channel',
    ]);
    expect(issuesOf({ email: 'a@example.com', delay: -1 })?.[0]).toMatch(/^delay: /);
    expect(issuesOf({ email: 'a@example.com', last_sent_at: 'yesterday' })?.[0]).toMatch(/^last_sent_at: /);
    expect(issuesOf({ email: 'a@example.com', email_update: 'b@example.com' })).toEqual([
      'email_update: changing the e-mail is not supported',
    ]);
    expect(issuesOf({ phone_number: '+79991234567', phone_number_update: '+79997654321' })).toEqual([
      'phone_number_update: supported for a person identified by email only',
    ]);
  });

  it('reads the person a path names as the clients build it', () => {
    expect(delightedPersonReference('email:Anna@Example.com')).toEqual({ personKey: 'email:anna@example.com' });
    expect(delightedPersonReference('phone_number:+79991234567')).toEqual({ personKey: 'phone:+79991234567' });
    const id = delightedPersonId('email:anna@example.com');
    expect(delightedPersonReference(id)).toEqual({ id });
    expect(delightedPersonReference('12345')).toBeUndefined();
  });
});

describe('Delighted answer shapes', () => {
  const anna = {
    personKey: 'email:anna@example.com',
    email: 'anna@example.com',
    name: 'Anna',
    firstSeenAt: '2026-11-01T10:00:00.000Z',
    lastInvitedAt: '2026-11-10T10:00:00.000Z',
  };

  it('shows a person with a string id that names nobody and Unix-second times', () => {
    const person = delightedPerson(anna, noon);
    expect(person).toEqual({
      id: delightedPersonId('email:anna@example.com'),
      name: 'Anna',
      email: 'anna@example.com',
      phone_number: null,
      created_at: seconds('2026-11-01T10:00:00Z'),
      last_sent_at: seconds('2026-11-10T10:00:00Z'),
      last_responded_at: null,
      next_survey_scheduled_at: null,
    });
    expect(person.id).toMatch(/^[0-9a-f]{64}$/);
    expect(person.id).not.toContain('anna');
    // A reservation in the future is the survey to come, not one sent.
    expect(delightedPerson({ ...anna, lastInvitedAt: '2026-11-21T09:00:00.000Z' }, noon)).toMatchObject({
      last_sent_at: null,
      next_survey_scheduled_at: seconds('2026-11-21T09:00:00Z'),
    });
  });

  it('says when the created person’s survey goes out, and null when none will', () => {
    const invitation = { status: 'pending', sendAt: '2026-11-20T12:01:00.000Z' } as SurveyInvitation;
    expect(delightedPersonCreated(anna, invitation, noon).survey_scheduled_at).toBe(seconds('2026-11-20T12:01:00Z'));
    expect(delightedPersonCreated(anna, { ...invitation, status: 'suppressed' }, noon).survey_scheduled_at).toBeNull();
    expect(delightedPersonCreated(anna, undefined, noon).survey_scheduled_at).toBeNull();
  });

  it('shows unsubscribes and bounces', () => {
    const suppression = { personKey: 'email:anna@example.com', at: noon.toISOString() };
    expect(delightedSuppression(suppression, 'Anna', 'unsubscribed_at')).toEqual({
      person_id: delightedPersonId('email:anna@example.com'),
      email: 'anna@example.com',
      name: 'Anna',
      unsubscribed_at: seconds(noon.toISOString()),
    });
    expect(delightedSuppression(suppression, undefined, 'bounced_at')).toMatchObject({
      name: null,
      bounced_at: seconds(noon.toISOString()),
    });
  });

  it('shows an Autopilot configuration, with null times while the defaults apply', () => {
    expect(
      delightedAutopilotConfiguration({ surveyId: 'srv_nps', platform: 'email', active: true, frequency: 7_776_000 }),
    ).toEqual({ platform_id: 'email', active: true, frequency: 7_776_000, created_at: null, updated_at: null });
  });

  it('shows a membership with its person and the survey request it has coming', () => {
    const membership: AutopilotMembership = {
      membershipId: 'apm_0123456789abcdef0123456789abcdef',
      surveyId: 'srv_nps',
      platform: 'email',
      personKey: 'email:anna@example.com',
      to: 'anna@example.com',
      properties: { plan: 'pro' },
      createdAt: noon.toISOString(),
      updatedAt: noon.toISOString(),
      nextRunAt: '2027-02-18T12:00:00.000Z',
    };
    expect(delightedMembership(membership, anna, undefined, noon)).toEqual({
      created_at: seconds(noon.toISOString()),
      updated_at: seconds(noon.toISOString()),
      person: {
        id: delightedPersonId('email:anna@example.com'),
        name: 'Anna',
        email: 'anna@example.com',
        created_at: seconds('2026-11-01T10:00:00Z'),
        phone_number: null,
        last_sent_at: seconds('2026-11-10T10:00:00Z'),
      },
      next_survey_request: {
        id: `${membership.membershipId}-next`,
        created_at: seconds(noon.toISOString()),
        survey_scheduled_at: seconds('2027-02-18T12:00:00Z'),
        properties: { plan: 'pro' },
      },
    });
    const pending = { invitationId: 'inv_1', status: 'pending', sendAt: '2026-11-21T09:00:00.000Z' };
    expect(
      delightedMembership(membership, anna, { ...pending, createdAt: noon.toISOString() } as SurveyInvitation, noon)
        .next_survey_request,
    ).toMatchObject({ id: 'inv_1', survey_scheduled_at: seconds('2026-11-21T09:00:00Z') });
    expect(
      delightedMembership({ ...membership, nextRunAt: undefined }, anna, undefined, noon).next_survey_request,
    ).toBe(null);
  });

  it('finds the person of a membership request by the platform’s contact', () => {
    expect(membershipPersonOf('email', { person_email: 'Anna@Example.com' })).toEqual({
      reference: { personKey: 'email:anna@example.com' },
    });
    expect(membershipPersonOf('email', { person_phone_number: '+79991234567' })).toEqual({ missing: 'person_email' });
    expect(membershipPersonOf('sms', { phone_number: '+79991234567' })).toEqual({
      reference: { personKey: 'phone:+79991234567' },
    });
    expect(membershipPersonOf('sms', {})).toEqual({ missing: 'person_phone_number' });
  });
});
