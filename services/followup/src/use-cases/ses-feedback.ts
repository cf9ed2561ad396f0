import * as z from 'zod';
import type { Suppression, SuppressionStore } from '../store/suppressions';

const recipient = z.object({ emailAddress: z.string().min(3).max(320) }).loose();
const mail = z.object({ messageId: z.string().min(1) }).loose();

/**
 * The SES events the follow-up service listens to on the default event bus (SES event publishing through a
 * configuration set with an EventBridge destination): a bounce or a complaint about a message we sent.
 */
export const sesFeedbackEventSchema = z.discriminatedUnion('detail-type', [
  z
    .object({
      source: z.literal('aws.ses'),
      'detail-type': z.literal('Email Bounced'),
      detail: z
        .object({
          eventType: z.literal('Bounce').optional(),
          bounce: z
            .object({
              bounceType: z.string().min(1).describe('Permanent, Transient or Undetermined'),
              bounceSubType: z.string().optional(),
              bouncedRecipients: z.array(recipient).min(1),
              feedbackId: z.string().optional(),
            })
            .loose(),
          mail,
        })
        .loose(),
    })
    .loose(),
  z
    .object({
      source: z.literal('aws.ses'),
      'detail-type': z.literal('Email Complaint Received'),
      detail: z
        .object({
          eventType: z.literal('Complaint').optional(),
          complaint: z
            .object({
              complainedRecipients: z.array(recipient).min(1),
              complaintFeedbackType: z.string().optional().describe('abuse, fraud, not-spam, … (RFC 5965)'),
              feedbackId: z.string().optional(),
            })
            .loose(),
          mail,
        })
        .loose(),
    })
    .loose(),
]);
export type SesFeedbackEvent = z.infer<typeof sesFeedbackEventSchema>;

/** `Name <address>` or a bare address, lower-cased as person keys are. */
const addressOf = (emailAddress: string) =>
  (/<([^<>]+)>\s*$/.exec(emailAddress)?.[1] ?? emailAddress).trim().toLowerCase();

/**
 * Which addresses to suppress for an SES event: every recipient of a permanent (hard) bounce, every recipient of a
 * complaint unless the mailbox provider reported it as `not-spam`. Transient and undetermined bounces suppress
 * nobody (SES retries those itself).
 */
export function suppressionsOfSesEvent(event: SesFeedbackEvent, at: Date): Suppression[] {
  if (event['detail-type'] === 'Email Bounced') {
    const { bounce } = event.detail;
    if (bounce.bounceType !== 'Permanent') return [];
    return bounce.bouncedRecipients.map((recipient) => ({
      personKey: `email:${addressOf(recipient.emailAddress)}`,
      reason: 'bounced',
      at: at.toISOString(),
      source: `ses:${bounce.feedbackId ?? event.detail.mail.messageId}`,
    }));
  }
  const { complaint } = event.detail;
  if (complaint.complaintFeedbackType === 'not-spam') return [];
  return complaint.complainedRecipients.map((recipient) => ({
    personKey: `email:${addressOf(recipient.emailAddress)}`,
    reason: 'complained',
    at: at.toISOString(),
    source: `ses:${complaint.feedbackId ?? event.detail.mail.messageId}`,
  }));
}

/**
 * Records the suppressions an SES event calls for; an event that is not a bounce or complaint of the expected shape
 * throws (its message is retried, then parked in the dead-letter queue for a look). Idempotent: the first
 * suppression of an address is kept.
 */
export async function recordSesFeedback(
  deps: { suppressions: SuppressionStore },
  event: unknown,
  now: Date,
): Promise<Suppression[]> {
  const suppressions = suppressionsOfSesEvent(sesFeedbackEventSchema.parse(event), now);
  for (const suppression of suppressions) await deps.suppressions.suppress(suppression);
  return suppressions;
}
