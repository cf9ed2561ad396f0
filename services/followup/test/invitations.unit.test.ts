import { describe, expect, it } from 'vitest';
import {
  atExpression,
  invitationJob,
  invitationJobId,
  invitationScheduleName,
  invitePersonRequestSchema,
  newInvitationId,
  resurveyInvitationId,
  type SurveyInvitation,
} from '../src/domain/invitations';
import { outboundJobSchema } from '../src/domain/outbound-job';

const issues = (body: unknown) =>
  (invitePersonRequestSchema.safeParse(body).error?.issues ?? []).map((issue) => ({
    field: issue.path.join('.'),
    message: issue.message,
  }));

describe('POST /v1/people request', () => {
  it('takes a Delighted-like body with defaults: send now, by e-mail', () => {
    expect(
      invitePersonRequestSchema.parse({
        email: 'Anna@Example.com',
        name: 'Anna',
        locale: 'ru-RU',
        timeZone: 'Europe/Moscow',
        properties: { plan: 'pro', seats: 12, trial: false },
        surveyId: 'srv_1',
      }),
    ).toEqual({
      email: 'Anna@Example.com',
      name: 'Anna',
      locale: 'ru-RU',
      timeZone: 'Europe/Moscow',
      properties: { plan: 'pro', seats: 12, trial: false },
      surveyId: 'srv_1',
      delay: 0,
      send: true,
    });
  });

  it('names the field that is wrong', () => {
    expect(issues({ surveyId: 'srv_1' })).toEqual([{ field: 'email', message: 'email or phone is required' }]);
    expect(issues({ email: 'a@example.com' })).toEqual([
      { field: 'surveyId', message: 'required unless send is false' },
    ]);
    expect(issues({ email: 'a@example.com', surveyId: 's', timeZone: 'Moscow' })[0]?.field).toBe('timeZone');
    expect(issues({ email: 'a@example.com', surveyId: 's', delay: 30 * 86_400 + 1 })[0]?.field).toBe('delay');
    expect(issues({ email: 'a@example.com', surveyId: 's', properties: { nested: { no: 1 } } })[0]?.field).toBe(
      'properties.nested',
    );
    expect(issues({ phone: '89991234567', send: false })[0]).toEqual({
      field: 'phone',
      message: 'a valid phone number in E.164, e.g. +79991234567',
    });
  });

  it('invites by SMS a person with a valid phone number, by e-mail one with an address', () => {
    expect(issues({ phone: '+79991234567', surveyId: 's' })).toEqual([]);
    expect(issues({ email: 'a@example.com', phone: '+79991234567', surveyId: 's', channel: 'sms' })).toEqual([]);
    expect(issues({ email: 'a@example.com', surveyId: 's', channel: 'sms' })).toEqual([
      { field: 'phone', message: 'required for the sms channel' },
    ]);
    expect(issues({ phone: '+7999123', surveyId: 's' })).toEqual([
      { field: 'phone', message: 'a valid phone number in E.164, e.g. +79991234567' },
    ]);
    expect(issues({ phone: '+79991234567', surveyId: 's', channel: 'email' })).toEqual([
      { field: 'email', message: 'required for the email channel' },
    ]);
    expect(invitePersonRequestSchema.parse({ phone: '+7 999 123-45-67', send: false }).phone).toBe('+79991234567');
  });
});

describe('invitation ids, schedules and jobs', () => {
  it('gives fresh invitation ids, and one id per resolved case', () => {
    expect(newInvitationId()).toMatch(/^inv_[0-9a-f]{32}$/);
    expect(newInvitationId()).not.toBe(newInvitationId());
    expect(resurveyInvitationId('case_1')).toBe(resurveyInvitationId('case_1'));
    expect(resurveyInvitationId('case_1')).not.toBe(resurveyInvitationId('case_2'));
    expect(resurveyInvitationId('case_1')).toMatch(/^inv_[0-9a-f]{32}$/);
  });

  it('names schedules and jobs within Scheduler and job-id limits', () => {
    const id = newInvitationId();
    expect(invitationScheduleName(id)).toMatch(/^[0-9A-Za-z_.-]{1,64}$/);
    expect(invitationJobId(id)).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
  });

  it('writes at() in UTC to the next whole second, never less than a minute ahead', () => {
    const now = new Date('2026-11-20T12:00:00.000Z');
    expect(atExpression(new Date('2026-11-20T13:00:00.250Z'), now)).toBe('at(2026-11-20T13:00:01)');
    expect(atExpression(new Date('2026-11-20T13:00:00.000Z'), now)).toBe('at(2026-11-20T13:00:00)');
    expect(atExpression(new Date('2026-11-20T12:00:05.000Z'), now)).toBe('at(2026-11-20T12:01:00)');
  });

  it('makes a valid outbound e-mail job, de-duplicated by the invitation', () => {
    const invitation: SurveyInvitation = {
      invitationId: 'inv_0123456789abcdef0123456789abcdef',
      personKey: 'id:customer-7',
      surveyId: 'srv_1',
      channel: 'email',
      to: 'anna@example.com',
      locale: 'ru',
      template: 'resolution_survey',
      purpose: 'resurvey',
      status: 'pending',
      createdAt: '2026-11-20T12:00:00.000Z',
      sendAt: '2026-11-20T12:00:00.000Z',
      caseId: 'case_1',
    };
    const job = outboundJobSchema.parse(invitationJob(invitation, 'https://api.example.com/s/srv_1?t=x'));
    expect(job).toEqual({
      jobId: 'job_inv_0123456789abcdef0123456789abcdef',
      purpose: 'resurvey',
      channel: 'email',
      to: 'anna@example.com',
      locale: 'ru',
      template: 'resolution_survey',
      variables: { surveyUrl: 'https://api.example.com/s/srv_1?t=x' },
      invitationId: invitation.invitationId,
      personKey: 'id:customer-7',
      caseId: 'case_1',
    });
  });
});
