import { createHash, createHmac } from 'node:crypto';
import * as z from 'zod';
import { secretsEqual } from './api-keys';

/**
 * An invitation link to a hosted survey page (`/s/{surveyId}?t=<token>`), for emails and SMS: who is invited, by
 * which channel, until when. Signed with the survey's identity secret, so that whoever holds the secret (the host
 * site's server, the follow-up service) can invite, and a respondent cannot change who they answer as.
 */
export interface Invitation {
  surveyId: string;
  respondentId?: string;
  email?: string;
  channel?: 'email' | 'sms' | 'link';
  expiresAt: Date;
}

export class InvalidInvitationError extends Error {
  constructor(readonly reason: 'malformed' | 'bad_signature' | 'other_survey' | 'expired') {
    super(`Invitation token: ${reason}`);
    this.name = 'InvalidInvitationError';
  }
}

const payloadSchema = z.object({
  s: z.string(),
  r: z.string().min(1).max(200).optional(),
  e: z.email().optional(),
  c: z.enum(['email', 'sms', 'link']).optional(),
  x: z.number().int(),
});

// Bound to its purpose: a token's MAC can never be taken for a respondent-id signature made with the same secret.
const mac = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(`cxloop-invitation.${payload}`).digest('base64url');

export function signInvitation(identitySecret: string, invitation: Invitation): string {
  const payload = Buffer.from(
    JSON.stringify({
      s: invitation.surveyId,
      r: invitation.respondentId,
      e: invitation.email,
      c: invitation.channel,
      x: Math.floor(invitation.expiresAt.getTime() / 1000),
    }),
  ).toString('base64url');
  return `${payload}.${mac(identitySecret, payload)}`;
}

/** Checks the signature before reading anything in the token, then the survey and the expiry. */
export function openInvitation(identitySecret: string, surveyId: string, token: string, now: Date): Invitation {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) throw new InvalidInvitationError('malformed');
  if (!secretsEqual(signature, mac(identitySecret, payload))) throw new InvalidInvitationError('bad_signature');
  let fields: z.infer<typeof payloadSchema>;
  try {
    fields = payloadSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidInvitationError('malformed');
  }
  if (fields.s !== surveyId) throw new InvalidInvitationError('other_survey');
  if (fields.x * 1000 <= now.getTime()) throw new InvalidInvitationError('expired');
  return {
    surveyId: fields.s,
    ...(fields.r ? { respondentId: fields.r } : {}),
    ...(fields.e ? { email: fields.e } : {}),
    ...(fields.c ? { channel: fields.c } : {}),
    expiresAt: new Date(fields.x * 1000),
  };
}

/** One response per invitation: answering the same link again revises that response instead of adding another. */
export function invitationResponseId(token: string): string {
  return `i-${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
}
