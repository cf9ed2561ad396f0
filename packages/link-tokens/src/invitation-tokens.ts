import * as z from 'zod';
import { openToken, sealToken } from './sealed-token';

/**
 * An invitation link to a hosted survey page (`/s/{surveyId}?t=<token>`), for e-mails and SMS: who is invited, by
 * which channel, until when. Made either with the survey's identity secret (whoever holds it, such as the host
 * site's server, can invite) or with the deployment's invitation key (the follow-up service, which cannot read the
 * collection service's surveys); either way a respondent can neither read nor change who they answer as.
 */
export interface Invitation {
  surveyId: string;
  respondentId?: string;
  email?: string;
  channel?: 'email' | 'sms' | 'link';
  expiresAt: Date;
}

/** `not_authentic`: made with none of the keys, for another survey, or altered; `malformed`: authentic but unreadable. */
export type InvalidInvitationReason = 'not_authentic' | 'malformed' | 'expired';

export class InvalidInvitationError extends Error {
  constructor(readonly reason: InvalidInvitationReason) {
    super(`Invitation token: ${reason}`);
    this.name = 'InvalidInvitationError';
  }
}

const purpose = 'invitation';
const channels = [undefined, 'email', 'sms', 'link'] as const;

const fieldsSchema = z.object({
  respondentId: z.string().min(1).max(200).optional(),
  email: z.email().optional(),
  channel: z.enum(['email', 'sms', 'link']).optional(),
  expiresAt: z.date(),
});

/**
 * The payload, packed for short SMS links: expiry (uint32 seconds), channel (uint8 index), respondent id (uint16
 * byte length, then UTF-8), e-mail address (the remaining bytes). The survey id is in the link's path already: it is
 * bound to the token as authenticated context instead of being carried.
 */
function pack(invitation: Invitation): Buffer {
  const respondentId = Buffer.from(invitation.respondentId ?? '', 'utf8');
  const header = Buffer.alloc(7);
  header.writeUInt32BE(Math.floor(invitation.expiresAt.getTime() / 1000), 0);
  header.writeUInt8(channels.indexOf(invitation.channel), 4);
  header.writeUInt16BE(respondentId.length, 5);
  return Buffer.concat([header, respondentId, Buffer.from(invitation.email ?? '', 'utf8')]);
}

function unpack(payload: Buffer): z.input<typeof fieldsSchema> | undefined {
  if (payload.length < 7) return undefined;
  const respondentIdEnd = 7 + payload.readUInt16BE(5);
  const channel = payload.readUInt8(4);
  if (respondentIdEnd > payload.length || channel >= channels.length) return undefined;
  const respondentId = payload.toString('utf8', 7, respondentIdEnd);
  const email = payload.toString('utf8', respondentIdEnd);
  return {
    ...(respondentId ? { respondentId } : {}),
    ...(email ? { email } : {}),
    ...(channels[channel] ? { channel: channels[channel] } : {}),
    expiresAt: new Date(payload.readUInt32BE(0) * 1000),
  };
}

export function signInvitation(key: string, invitation: Invitation): string {
  return sealToken(key, purpose, pack(invitation), invitation.surveyId);
}

/**
 * Opens a token with every key given (all of them, whichever made it, so the timing does not tell which; empty keys
 * are skipped: a survey without an identity secret passes ''), for this survey only, then checks the expiry.
 */
export function openInvitation(
  keys: string | readonly string[],
  surveyId: string,
  token: string,
  now: Date,
): Invitation {
  const usableKeys = [keys].flat().filter((key) => key.length > 0);
  const payload = openToken(usableKeys, purpose, token, surveyId);
  if (!payload) throw new InvalidInvitationError('not_authentic');
  const fields = fieldsSchema.safeParse(unpack(payload));
  if (!fields.success) throw new InvalidInvitationError('malformed');
  if (fields.data.expiresAt.getTime() <= now.getTime()) throw new InvalidInvitationError('expired');
  return { surveyId, ...fields.data };
}
