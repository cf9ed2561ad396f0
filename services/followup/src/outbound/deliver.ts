import { createHash, randomUUID } from 'node:crypto';
import { MessageSent } from '@cxloop/events';
import type { PublishEvents } from '@cxloop/lambda-kit';
import { type ChannelSettings, DAY_SECONDS, destinationOf, rateWindowsOf } from '../domain/channel-settings';
import {
  type DeliveryOutcome,
  MAX_DELAY_SECONDS,
  rateDeferralSeconds,
  rateWindowOf,
  redeliveryPolicy,
  retryDecision,
  safeErrorText,
} from '../domain/delivery';
import { isFinal, type MessageRecord, type MessageSummary } from '../domain/message-log';
import { type OutboundJob, outboundJobSchema } from '../domain/outbound-job';
import { identifierOfPersonKey } from '../domain/person';
import { renderSms, smsSize } from '../domain/sms';
import type { MessageStore } from '../store/messages';
import type { RateLimiter } from '../store/rate-limits';
import type { SuppressionStore } from '../store/suppressions';
import type { DeliverToChannel } from './channels';

export interface SenderDeps {
  messages: MessageStore;
  suppressions: Pick<SuppressionStore, 'findAny'>;
  rateLimiter: RateLimiter;
  /** The channel settings, through a short cache. */
  settings: () => Promise<ChannelSettings>;
  deliver: DeliverToChannel;
  publish: PublishEvents;
  log: (message: string, attributes: Record<string, unknown>) => void;
  /** Receives of one job before it goes to the dead-letter queue (the queue's maxReceiveCount). */
  maxAttempts: number;
  random?: () => number;
  clock?: () => Date;
  newLeaseId?: () => string;
}

/** One SQS message of the outbound queue, as the sender sees it. */
export interface ReceivedJob {
  body: string;
  sqsMessageId: string;
  /** SQS's ApproximateReceiveCount of this message. */
  receiveCount: number;
  /** Receives of the messages this job was deferred from (a deferral re-enqueues it as a new message). */
  priorReceives: number;
  /** Rate-limit deferrals so far. */
  deferrals: number;
  /** How long a claim lasts: longer than this invocation can run, so a live worker never loses it. */
  leaseMs: number;
}

/** What the handler does with the SQS message once the job was handled. */
export type SenderAction =
  /** Done (sent, suppressed, failed for good, or a duplicate): delete the message. */
  | { action: 'ack'; outcome: string }
  /**
   * Fail the record and keep it invisible this long (ChangeMessageVisibility): SQS delivers it again after, or, when
   * the job `gaveUp` (its message recorded failed), moves it to the DLQ on that receive.
   */
  | { action: 'retry'; visibilitySeconds: number; reason: string; gaveUp?: true }
  /** Re-enqueue with DelaySeconds and delete this one: a rate-limit wait that does not count as a receive. */
  | { action: 'defer'; delaySeconds: number; deferrals: number; priorReceives: number }
  /** Send the body to the dead-letter queue and delete this one (its own receive count is below the limit). */
  | { action: 'dead_letter'; reason: string };

/**
 * What every log line about a job names: the sender handles its records concurrently, so these cannot be the
 * logger's per-record keys. The feedback and correlation ids tie the message to the rest of its feedback's path.
 */
function logKeysOf(job: OutboundJob) {
  return {
    messageId: job.jobId,
    channel: job.channel,
    ...(job.feedbackId ? { feedbackId: job.feedbackId } : {}),
    ...(job.correlationId ? { correlationId: job.correlationId } : {}),
  };
}

type ParsedJob = { ok: true; job: OutboundJob } | { ok: false; recordId: string; error: string };

const JOB_ID = /^[A-Za-z0-9_-]{8,128}$/;

function parseJob(body: string, sqsMessageId: string): ParsedJob {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, recordId: `sqs-${sqsMessageId}`, error: 'malformed job: not JSON' };
  }
  const result = outboundJobSchema.safeParse(raw);
  if (result.success) return { ok: true, job: result.data };
  const jobId = (raw as { jobId?: unknown } | null)?.jobId;
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
  return {
    ok: false,
    recordId: typeof jobId === 'string' && JOB_ID.test(jobId) ? jobId : `sqs-${sqsMessageId}`,
    error: `malformed job: invalid ${fields.slice(0, 5).join(', ')}`,
  };
}

/** The person keys a job is addressed to: its person key and the address (e-mail, or phone number for SMS). */
function addresseesOf(job: OutboundJob): string[] {
  return [
    ...(job.personKey ? [job.personKey] : []),
    ...(job.channel === 'email' ? [`email:${job.to.toLowerCase()}`] : []),
    ...(job.channel === 'sms' ? [`phone:${job.to}`] : []),
  ];
}

/** What a send costs against the rate limits: an SMS its segments; one that cannot be rendered fails when sent. */
function segmentsOf(job: OutboundJob): number {
  if (job.channel !== 'sms') return 1;
  try {
    return smsSize(renderSms(job)).segments;
  } catch {
    return 1;
  }
}

function summaryOf(job: OutboundJob, target: string | undefined): MessageSummary {
  const [addressee] = addresseesOf(job);
  return {
    messageId: job.jobId,
    channel: job.channel,
    purpose: job.purpose,
    ...(target ? { target } : {}),
    ...(job.caseId ? { caseId: job.caseId } : {}),
    ...(job.feedbackId ? { feedbackId: job.feedbackId } : {}),
    ...(job.invitationId ? { invitationId: job.invitationId } : {}),
    ...(addressee
      ? {
          recipient: `sha256:${createHash('sha256').update(addressee, 'utf8').digest('hex').slice(0, 16)}`,
          identifiers: addresseesOf(job).map(identifierOfPersonKey),
        }
      : {}),
    ...(job.correlationId ? { correlationId: job.correlationId } : {}),
    ...(job.causationId ? { causationId: job.causationId } : {}),
  };
}

/**
 * Delivers one outbound job at most once per channel's guarantee (see `redeliveryPolicy`):
 * 1. parse it (a malformed job is recorded `failed` and dropped: retrying cannot fix it);
 * 2. skip it when its record is final (a duplicate, or a redelivery after success);
 * 3. resolve its destination in the channel settings (none → `failed`);
 * 4. check suppressions for the people it is addressed to (→ `suppressed`);
 * 5. take its slots in the target's rate-limit windows (an SMS: its segments, per second and of the daily budget),
 *    or defer the job;
 * 6. claim it (conditional write: of two concurrent copies, one wins; the other retries later and finds it sent);
 * 7. deliver, then record `sent` and publish MessageSent, or release it for a retry with backoff, or record why it
 *    failed for good.
 */
export async function deliverJob(deps: SenderDeps, received: ReceivedJob, now: Date): Promise<SenderAction> {
  const random = deps.random ?? Math.random;
  const clock = deps.clock ?? (() => new Date());
  const parsed = parseJob(received.body, received.sqsMessageId);
  if (!parsed.ok) {
    await deps.messages.recordMalformed(parsed.recordId, now, parsed.error);
    deps.log('Dropped a malformed outbound job', { messageId: parsed.recordId, error: parsed.error });
    return { action: 'ack', outcome: 'malformed' };
  }
  const job = parsed.job;
  const attempts = received.priorReceives + received.receiveCount;

  const existing = await deps.messages.get(job.jobId);
  if (existing && isFinal(existing)) return finished(deps, existing, now);

  const settings = await deps.settings();
  const resolved = destinationOf(job, settings);
  if (!resolved.ok) {
    const settled = await deps.messages.settle(summaryOf(job, 'target' in job ? job.target : undefined), now, {
      status: 'failed',
      error: resolved.error,
    });
    deps.log('Outbound job has no destination', { ...logKeysOf(job), error: resolved.error });
    return settled.kind === 'busy' ? busy(settled.record, now) : { action: 'ack', outcome: 'not_configured' };
  }
  const destination = resolved.destination;
  const summary = summaryOf(job, destination.target);

  const addressees = addresseesOf(job);
  const suppression = addressees.length > 0 ? await deps.suppressions.findAny(addressees) : undefined;
  if (suppression) {
    const settled = await deps.messages.settle(summary, now, {
      status: 'suppressed',
      error: `suppressed: ${suppression.reason}`,
    });
    if (settled.kind === 'busy') return busy(settled.record, now);
    if (settled.kind === 'done') return finished(deps, settled.record, now);
    deps.log('Outbound message suppressed', { ...logKeysOf(job), reason: suppression.reason });
    return { action: 'ack', outcome: 'suppressed' };
  }

  const acquired = await deps.rateLimiter.acquire(rateWindowsOf(destination, settings, segmentsOf(job)), now);
  if (!acquired.ok) {
    await deps.messages.recordQueued(summary, now);
    const daily = acquired.full.seconds === DAY_SECONDS;
    if (daily) {
      deps.log('SMS daily segment budget spent: the message waits in the queue for the next day', {
        ...logKeysOf(job),
        metric: 'SmsDailyBudgetSpent',
        segmentsPerDay: acquired.full.limit,
      });
    }
    const untilNextDay = rateWindowOf(now, DAY_SECONDS) + DAY_SECONDS - Math.floor(now.getTime() / 1000);
    return {
      action: 'defer',
      delaySeconds: daily
        ? Math.min(MAX_DELAY_SECONDS, Math.max(1, untilNextDay))
        : rateDeferralSeconds(received.deferrals, random(), now),
      deferrals: received.deferrals + 1,
      priorReceives: attempts - 1,
    };
  }

  const leaseId = (deps.newLeaseId ?? randomUUID)();
  const claim = await deps.messages.claim(summary, now, received.leaseMs, leaseId);
  if (claim.kind === 'done') return finished(deps, claim.record, now);
  if (claim.kind === 'busy') return busy(claim.record, now);

  const policy = redeliveryPolicy[destination.channel];
  if (claim.previous?.status === 'sending' && policy === 'never') {
    const error = 'interrupted during delivery: not sent again, to never send it twice';
    await deps.messages.recordFailed(job.jobId, leaseId, now, { error, retryable: false });
    deps.log('Outbound message outcome unknown', { ...logKeysOf(job), error });
    return { action: 'ack', outcome: 'interrupted' };
  }

  let outcome: DeliveryOutcome;
  try {
    outcome = await deps.deliver(destination, job, { now, lookupFirst: policy === 'lookup' && claim.attempts > 1 });
  } catch (error) {
    outcome = {
      kind: 'transient',
      error: safeErrorText(`unexpected ${error instanceof Error ? error.name : 'error'}`),
    };
  }
  const context = { ...logKeysOf(job), purpose: job.purpose, target: destination.target };

  if (outcome.kind === 'sent') {
    const sentAt = clock();
    await deps.messages.recordSent(job.jobId, leaseId, sentAt, outcome.providerId);
    deps.log('Outbound message sent', { ...context, attempts: claim.attempts });
    try {
      await announce(deps, { ...summary, attempts: claim.attempts, sentAt: sentAt.toISOString() });
    } catch (error) {
      await deps.messages.releaseAnnouncement(job.jobId, leaseId);
      throw error;
    }
    return { action: 'ack', outcome: 'sent' };
  }

  const failure = {
    error: outcome.error,
    ...(outcome.statusCode === undefined ? {} : { statusCode: outcome.statusCode }),
  };
  if (outcome.kind === 'permanent') {
    await deps.messages.recordFailed(job.jobId, leaseId, now, { ...failure, retryable: false });
    deps.log('Outbound message failed', { ...context, attempts: claim.attempts, error: outcome.error });
    return { action: 'ack', outcome: 'failed' };
  }

  const decision = retryDecision({
    attempts,
    receiveCount: received.receiveCount,
    maxAttempts: deps.maxAttempts,
    random: random(),
    ...(outcome.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: outcome.retryAfterSeconds }),
  });
  if (decision.action === 'retry') {
    await deps.messages.releaseForRetry(job.jobId, leaseId, now, failure);
    deps.log('Outbound message will be retried', {
      ...context,
      attempts: claim.attempts,
      error: outcome.error,
      retryInSeconds: decision.visibilitySeconds,
    });
    return { action: 'retry', visibilitySeconds: decision.visibilitySeconds, reason: outcome.error };
  }
  const error = `${outcome.error}; gave up after ${attempts} receives, parked in the dead-letter queue`;
  await deps.messages.recordFailed(job.jobId, leaseId, now, { ...failure, error, retryable: true });
  deps.log('Outbound message dead-lettered', { ...context, attempts: claim.attempts, error: outcome.error });
  return decision.action === 'give_up'
    ? { action: 'retry', visibilitySeconds: decision.visibilitySeconds, reason: error, gaveUp: true }
    : { action: 'dead_letter', reason: error };
}

/** Ack outcomes of a job whose message is recorded failed: it will not be sent (unless redriven). */
const FAILED_OUTCOMES = new Set(['failed', 'not_configured', 'interrupted', 'malformed']);

/** Whether this receive ended the job's message sent or failed (the sender's MessagesSent and MessagesFailed). */
export function messageEnding(action: SenderAction): 'sent' | 'failed' | undefined {
  switch (action.action) {
    case 'ack':
      return action.outcome === 'sent' ? 'sent' : FAILED_OUTCOMES.has(action.outcome) ? 'failed' : undefined;
    case 'retry':
      return action.gaveUp ? 'failed' : undefined;
    case 'dead_letter':
      return 'failed';
    case 'defer':
      return undefined;
  }
}

/**
 * A job already in a final status: nothing to send. A sent one whose MessageSent is missing is announced here,
 * unless the worker that sent it still holds its lease (it is announcing it now, and its own SQS message stays
 * until it has; if it dies, that message comes back after the lease and lands here).
 */
async function finished(deps: SenderDeps, record: MessageRecord, now: Date): Promise<SenderAction> {
  const senderAnnouncing = record.leaseUntil !== undefined && record.leaseUntil > now.getTime();
  if (record.status === 'sent' && !record.announced && !senderAnnouncing && record.channel && record.sentAt) {
    await announce(deps, { ...record, channel: record.channel, sentAt: record.sentAt });
  }
  return { action: 'ack', outcome: `duplicate_${record.status}` };
}

/** Another worker holds the job: look again once its claim has run out (it will usually have finished by then). */
function busy(record: MessageRecord, now: Date): SenderAction {
  const leaseLeft = Math.max(0, (record.leaseUntil ?? now.getTime()) - now.getTime());
  return { action: 'retry', visibilitySeconds: Math.min(900, Math.ceil(leaseLeft / 1000) + 1), reason: 'in progress' };
}

/**
 * Publishes MessageSent, then notes that it did. A crash in between publishes it again on the next delivery of the
 * job (at least once; consumers de-duplicate on messageId).
 */
async function announce(
  deps: SenderDeps,
  message: MessageSummary & { attempts: number; sentAt: string },
): Promise<void> {
  await deps.publish([
    {
      contract: MessageSent,
      data: {
        messageId: message.messageId,
        channel: message.channel,
        purpose: message.purpose,
        ...(message.caseId ? { caseId: message.caseId } : {}),
        ...(message.feedbackId ? { feedbackId: message.feedbackId } : {}),
        ...(message.invitationId ? { invitationId: message.invitationId } : {}),
        attempts: Math.max(1, message.attempts),
        sentAt: message.sentAt,
      },
      causation: {
        correlationId: message.correlationId ?? message.messageId,
        ...(message.causationId ? { causationId: message.causationId } : {}),
      },
    },
  ]);
  await deps.messages.markAnnounced(message.messageId);
}
