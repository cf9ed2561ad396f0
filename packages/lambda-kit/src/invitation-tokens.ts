import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

/**
 * An invitation link to a hosted survey page (`/s/{surveyId}?t=<token>`), for emails and SMS: who is invited, by
 * which channel, until when. Signed either with the survey's identity secret (whoever holds it, such as the host
 * site's server, can invite) or with the deployment's invitation key (the follow-up service, which cannot read the
 * collection service's surveys); either way a respondent cannot change who they answer as.
 */
export interface Invitation {
  surveyId: string;
  respondentId?: string;
  email?: string;
  channel?: 'email' | 'sms' | 'link';
  expiresAt: Date;
}

export type InvalidInvitationReason = 'malformed' | 'bad_signature' | 'other_survey' | 'expired';

export class InvalidInvitationError extends Error {
  constructor(readonly reason: InvalidInvitationReason) {
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
const mac = (key: string, payload: string) =>
  createHmac('sha256', key).update(`cxloop-invitation.${payload}`).digest('base64url');

/** Compares through SHA-256 digests, so neither the length nor the first differing byte shows in the timing. */
const macsEqual = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export function signInvitation(key: string, invitation: Invitation): string {
  const payload = Buffer.from(
    JSON.stringify({
      s: invitation.surveyId,
      r: invitation.respondentId,
      e: invitation.email,
      c: invitation.channel,
      x: Math.floor(invitation.expiresAt.getTime() / 1000),
    }),
  ).toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

/**
 * Checks the signature against every key given (all of them, whichever matches, so the timing does not tell which
 * key signed) before reading anything in the token, then the survey and the expiry.
 */
export function openInvitation(
  keys: string | readonly string[],
  surveyId: string,
  token: string,
  now: Date,
): Invitation {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) throw new InvalidInvitationError('malformed');
  const matches = [keys]
    .flat()
    .filter((key) => key.length > 0)
    .map((key) => macsEqual(signature, mac(key, payload)));
  if (!matches.includes(true)) throw new InvalidInvitationError('bad_signature');
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
