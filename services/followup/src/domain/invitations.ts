import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { isTimeZone } from './fatigue';
import type { MessageLocale } from './messages';
import type { OutboundJobInput } from './outbound-job';
import { phoneNumberSchema } from './phone-numbers';

export const MAX_INVITATION_DELAY_SECONDS = 30 * 86_400;

const propertyValue = /* @__PURE__ */ z.union([z.string().max(1000), z.number(), z.boolean()]);

/**
 * `POST /v1/people`, after Delighted's people API: who (an e-mail address and/or a phone number, optionally the
 * host's user id), how to talk to them, and which survey to invite them to, now or after `delay` seconds. With
 * `send: false` the person is only saved. Pure, so that the functions that never parse it leave it (and
 * libphonenumber) out of their bundles.
 */
export const invitePersonRequestSchema = /* @__PURE__ */ z
  .object({
    id: z.string().trim().min(1).max(200).optional().describe("The host's user id; the person key when present"),
    email: z.email().max(254).optional(),
    phone: phoneNumberSchema.optional().describe('E.164, e.g. +79991234567'),
    name: z.string().trim().min(1).max(200).optional(),
    locale: z
      .string()
      .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'a language tag, e.g. ru-RU')
      .optional(),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone, e.g. Europe/Moscow').optional(),
    properties: z
      .record(z.string().min(1).max(100), propertyValue)
      .refine((properties) => Object.keys(properties).length <= 50, 'at most 50 properties')
      .optional(),
    surveyId: z.string().min(1).max(100).optional(),
    delay: z.number().int().min(0).max(MAX_INVITATION_DELAY_SECONDS).default(0).describe('Seconds to wait'),
    send: z.boolean().default(true),
    channel: z.enum(['email', 'sms']).optional(),
  })
  .superRefine((request, context) => {
    if (!request.email && !request.phone) {
      context.addIssue({ code: 'custom', path: ['email'], message: 'email or phone is required' });
      return;
    }
    if (!request.send) return;
    if (!request.surveyId) {
      context.addIssue({ code: 'custom', path: ['surveyId'], message: 'required unless send is false' });
    }
    const channel = invitationChannelOf(request);
    if (channel === 'sms' && !request.phone) {
      context.addIssue({ code: 'custom', path: ['phone'], message: 'required for the sms channel' });
    } else if (channel === 'email' && !request.email) {
      context.addIssue({ code: 'custom', path: ['email'], message: 'required for the email channel' });
    }
  });
export type InvitePersonRequest = z.output<typeof invitePersonRequestSchema>;

export type InvitationChannel = 'email' | 'sms';

/** The channel asked for; else e-mail when there is an address, SMS when there is only a phone number. */
export const invitationChannelOf = (request: { channel?: InvitationChannel; email?: string }): InvitationChannel =>
  request.channel ?? (request.email ? 'email' : 'sms');

export const invitationStatuses = ['pending', 'sent', 'cancelled', 'suppressed'] as const;
export type InvitationStatus = (typeof invitationStatuses)[number];

/**
 * One invitation to answer a survey, addressed to one person. `pending` until it is handed to the outbound queue
 * (`sent`), or `cancelled` before that; `suppressed` when the fatigue limits or an unsubscribe stopped it.
 */
export interface SurveyInvitation {
  invitationId: string;
  personKey: string;
  surveyId: string;
  channel: InvitationChannel;
  /** The e-mail address, or the phone number (E.164) of an SMS invitation. */
  to: string;
  locale: MessageLocale;
  respondentId?: string;
  template: 'survey_invitation' | 'resolution_survey';
  purpose: 'survey_invitation' | 'resurvey';
  status: InvitationStatus;
  /** Why it was suppressed or cancelled. */
  reason?: string;
  /** For `recently_surveyed` and `recently_declined`: when the person may be invited again. */
  until?: string;
  createdAt: string;
  /** When it is (or was to be) handed to the outbound queue. */
  sendAt: string;
  sentAt?: string;
  cancelledAt?: string;
  caseId?: string;
  /** The person's `lastInvitedAt` before this invitation reserved them, restored when it is cancelled. */
  previousLastInvitedAt?: string;
}

/** A fresh, unguessable invitation id. */
export function newInvitationId(): string {
  return `inv_${randomBytes(16).toString('hex')}`;
}

/** The one invitation that re-surveys a customer about a case: the same id for every delivery of CaseResolved. */
export function resurveyInvitationId(caseId: string): string {
  return `inv_${createHash('sha256').update(`resurvey\u0000${caseId}`).digest('hex').slice(0, 32)}`;
}

/** The outbound job id of an invitation: the sender sends each job id once. */
export const invitationJobId = (invitationId: string) => `job_${invitationId}`;

/** The EventBridge Scheduler schedule that delivers a delayed invitation (names: 1–64 of [0-9A-Za-z-_.]). */
export const invitationScheduleName = (invitationId: string) => invitationId.replace(/[^0-9A-Za-z_.-]/g, '-');

/** Scheduler invokes one-time schedules within a minute of their time; one in the past is of no use. */
export const MIN_SCHEDULE_LEAD_MS = 60_000;

/**
 * A one-time schedule expression (read in UTC, ScheduleExpressionTimezone) for the first whole second at or after
 * `at`, and at least a minute after `now`.
 */
export function atExpression(at: Date, now: Date): string {
  const earliest = Math.max(at.getTime(), now.getTime() + MIN_SCHEDULE_LEAD_MS);
  return `at(${new Date(Math.ceil(earliest / 1000) * 1000).toISOString().slice(0, 19)})`;
}

/** The keys the sender checks for an invitation: the person, and the address it goes to. */
export const suppressionKeysOf = (invitation: Pick<SurveyInvitation, 'personKey' | 'to' | 'channel'>) => [
  invitation.personKey,
  `${invitation.channel === 'sms' ? 'phone' : 'email'}:${invitation.to}`,
];

export function invitationJob(invitation: SurveyInvitation, surveyUrl: string): OutboundJobInput {
  return {
    jobId: invitationJobId(invitation.invitationId),
    purpose: invitation.purpose,
    channel: invitation.channel,
    to: invitation.to,
    locale: invitation.locale,
    template: invitation.template,
    variables: { surveyUrl },
    invitationId: invitation.invitationId,
    personKey: invitation.personKey,
    ...(invitation.caseId ? { caseId: invitation.caseId } : {}),
  };
}

/** How the API shows an invitation. */
export function invitationView(invitation: SurveyInvitation) {
  return {
    id: invitation.invitationId,
    surveyId: invitation.surveyId,
    status: invitation.status,
    channel: invitation.channel,
    scheduledAt: invitation.sendAt,
    ...(invitation.sentAt ? { sentAt: invitation.sentAt } : {}),
    ...(invitation.cancelledAt ? { cancelledAt: invitation.cancelledAt } : {}),
    ...(invitation.reason ? { reason: invitation.reason } : {}),
    ...(invitation.until ? { until: invitation.until } : {}),
  };
}
