import type { PersonIdentifier } from '@cxloop/events';
import type { ChannelName } from './channel-settings';

/**
 * The message log of the outbound sender, and its de-duplication claim: one `MSG#<jobId>` item per job, whose
 * conditional updates make sure that only one worker at a time delivers a job and that a job that reached a final
 * status (sent, suppressed, failed for good) is never delivered again.
 *
 * Status: `queued` (waiting, or waiting for a retry) → `sending` (claimed by a worker until `leaseUntil`) →
 * `sent` | `suppressed` | `failed`. A `failed` job with `retryable` went to the dead-letter queue after its last
 * transient failure: a redrive may claim it again.
 *
 * Why a claim of our own rather than Powertools idempotency: after a crash between sending and recording, Powertools
 * lets the expired in-progress record run the handler again, which re-sends (at least once). Here the next worker
 * sees that the previous claim was `sending` and the channel decides (`redeliveryPolicy`): e-mail and Slack are not
 * sent again (at most once), webhooks are (receivers de-duplicate on `webhook-id`), Zendesk looks the ticket up first.
 * The claim also doubles as the message log, so one conditional write per attempt does both jobs.
 */
export const messageStatuses = ['queued', 'sending', 'sent', 'suppressed', 'failed'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** What the log says about one message. No addresses, URLs or bodies: `recipient` is a hash of the person key. */
export interface MessageRecord {
  messageId: string;
  channel?: ChannelName;
  purpose: string;
  /** The named target in the channel settings (a Slack target, a webhook endpoint), never a URL. */
  target?: string;
  caseId?: string;
  feedbackId?: string;
  invitationId?: string;
  /** `sha256:` and 16 hex digits of the person key, to correlate messages without storing the address. */
  recipient?: string;
  correlationId?: string;
  causationId?: string;
  status: MessageStatus;
  /** Delivery attempts so far (claims); suppressed or unconfigured jobs have 0. */
  attempts: number;
  lastError?: string;
  lastStatusCode?: number;
  queuedAt: string;
  updatedAt: string;
  sentAt?: string;
  /** The channel's id of what was delivered (SES message id, Zendesk ticket id), when it gives one. */
  providerId?: string;
  retryable?: boolean;
  /** Whether MessageSent was published for a sent message. */
  announced?: boolean;
  leaseId?: string;
  /** Epoch milliseconds until which the worker holding the claim may still be delivering. */
  leaseUntil?: number;
}

/** The parts of a message known before it is delivered. */
export interface MessageSummary {
  messageId: string;
  channel: ChannelName;
  purpose: string;
  target?: string;
  caseId?: string;
  feedbackId?: string;
  invitationId?: string;
  recipient?: string;
  /** Who `recipient` stands for, hashed: the message is indexed under them (not stored on it), for erasure. */
  identifiers?: PersonIdentifier[];
  correlationId?: string;
  causationId?: string;
}

/** A record that nothing will deliver again. */
export function isFinal(record: Pick<MessageRecord, 'status' | 'retryable'>): boolean {
  return (
    record.status === 'sent' || record.status === 'suppressed' || (record.status === 'failed' && !record.retryable)
  );
}

export type ClaimResult =
  /** This worker may deliver; `previous` is the record before the claim (absent for a new job). */
  | { kind: 'claimed'; attempts: number; previous?: MessageRecord }
  /** Nothing to deliver: the job reached a final status. */
  | { kind: 'done'; record: MessageRecord }
  /** Another worker holds a live claim. */
  | { kind: 'busy'; record: MessageRecord };

export type SettleResult =
  | { kind: 'settled' }
  | { kind: 'done'; record: MessageRecord }
  | { kind: 'busy'; record: MessageRecord };

export class LostClaimError extends Error {
  override readonly name = 'LostClaimError';
}
