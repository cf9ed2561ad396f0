import { type InboundSms, isOptOutReply } from '../domain/sms';
import { type UnsubscribeDeps, unsubscribe } from './unsubscribe';

export type SmsReplyOutcome = 'unsubscribed' | 'ignored';

/**
 * A text a customer sent to our number (two-way SMS): an opt-out reply (STOP, СТОП, …) unsubscribes that phone
 * number from everything, as the unsubscribe link of an e-mail does, and cancels its pending invitations. Anything
 * else is not acted on. Idempotent, like the unsubscribe it records: a redelivered reply changes nothing.
 */
export async function handleSmsReply(deps: UnsubscribeDeps, reply: InboundSms, now: Date): Promise<SmsReplyOutcome> {
  if (!isOptOutReply(reply.messageBody)) return 'ignored';
  await unsubscribe(deps, `phone:${reply.originationNumber}`, 'sms_stop', now);
  return 'unsubscribed';
}
