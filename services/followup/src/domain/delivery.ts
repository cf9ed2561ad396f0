import type { ChannelName } from './channel-settings';
import { OutboundRefusedError } from './url-policy';

/**
 * Pure decisions of the outbound sender: what an answer from a channel means, how long to wait before the next
 * attempt, which rate-limit window a send counts against, and what to do when an earlier attempt's outcome is unknown.
 */

/** The result of one delivery attempt. `error` never holds a URL, an address or a message body. */
export type DeliveryOutcome =
  | { kind: 'sent'; providerId?: string }
  | { kind: 'transient'; error: string; statusCode?: number; retryAfterSeconds?: number }
  | { kind: 'permanent'; error: string; statusCode?: number };

/** Longest wait SQS allows for a message's visibility (12 h). */
export const MAX_VISIBILITY_SECONDS = 43_200;
/** Longest DelaySeconds SQS allows (15 min). */
export const MAX_DELAY_SECONDS = 900;

/**
 * An HTTP answer: 2xx delivered; 408, 425, 429 and 5xx are worth retrying (429 with the receiver's Retry-After);
 * any other status (4xx, and 3xx, since redirects are not followed with a signed body) will not get better by itself.
 */
export function outcomeOfHttpStatus(status: number, retryAfter: string | null | undefined, now: Date): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: 'sent' };
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    const seconds = retryAfterSeconds(retryAfter, now);
    return {
      kind: 'transient',
      error: `HTTP ${status}`,
      statusCode: status,
      ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
    };
  }
  if (status >= 300 && status < 400) {
    return { kind: 'permanent', error: `HTTP ${status}: redirect not followed`, statusCode: status };
  }
  return { kind: 'permanent', error: `HTTP ${status}`, statusCode: status };
}

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null | undefined, now: Date): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), MAX_VISIBILITY_SECONDS);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, Math.ceil((at - now.getTime()) / 1000)), MAX_VISIBILITY_SECONDS);
}

/**
 * A request that got no answer: refused by the outbound URL policy (permanent, with its reason), or a timeout or a
 * network error (transient: the request may not have reached the receiver).
 */
export function outcomeOfRequestError(error: unknown): DeliveryOutcome {
  if (error instanceof OutboundRefusedError) return { kind: 'permanent', error: safeErrorText(error.message) };
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'transient', error: 'timeout' };
  const code = errorCode(error) ?? (error instanceof Error ? errorCode(error.cause) : undefined);
  return { kind: 'transient', error: `network error${code ? ` ${code}` : ''}` };
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

const sesTransientErrors = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'SendingPausedException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

/**
 * An SESv2 SendEmail error: throttling, a paused account and 5xx are transient; a rejected message, an unverified
 * sender, a suspended account or a bad request are permanent. Errors without an HTTP answer are network errors.
 */
export function outcomeOfSesError(error: unknown): DeliveryOutcome {
  const name = error instanceof Error ? error.name : 'Error';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  const withStatus = status === undefined ? {} : { statusCode: status };
  if (sesTransientErrors.has(name) || (status !== undefined && status >= 500)) {
    return { kind: 'transient', error: `SES ${name}`, ...withStatus };
  }
  if (status === undefined) return { kind: 'transient', error: `SES unreachable (${name})` };
  return { kind: 'permanent', error: `SES ${name}`, ...withStatus };
}

const smsTransientErrors = new Set(['ThrottlingException', 'InternalServerException', 'ServiceQuotaExceededException']);

/**
 * A SendTextMessage error (AWS End User Messaging SMS): throttling, quotas and 5xx are transient; an opted-out
 * number (ConflictException, reason DESTINATION_PHONE_NUMBER_OPTED_OUT), a number it cannot reach, an origination
 * identity that is not ours or a bad request are permanent. The reason is an enum, never the number.
 */
export function outcomeOfSmsError(error: unknown): DeliveryOutcome {
  const name = error instanceof Error ? error.name : 'Error';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  const reason = (error as { Reason?: unknown } | undefined)?.Reason;
  const withStatus = status === undefined ? {} : { statusCode: status };
  const text = `SMS ${name}${typeof reason === 'string' && /^[A-Z_]{1,64}$/.test(reason) ? ` ${reason}` : ''}`;
  if (smsTransientErrors.has(name) || (status !== undefined && status >= 500)) {
    return { kind: 'transient', error: text, ...withStatus };
  }
  if (status === undefined) return { kind: 'transient', error: `SMS unreachable (${name})` };
  return { kind: 'permanent', error: text, ...withStatus };
}

export interface BackoffOptions {
  baseSeconds: number;
  capSeconds: number;
}

export const defaultBackoff: BackoffOptions = { baseSeconds: 10, capSeconds: MAX_DELAY_SECONDS };

/**
 * How long a failed message stays invisible before its next attempt: exponential in the number of receives so far
 * (10 s, 20 s, 40 s … up to 15 min), with "equal jitter" (half fixed, half random) so that messages that failed
 * together do not come back together, and never shorter than the receiver's Retry-After.
 */
export function backoffSeconds(
  receiveCount: number,
  random: number,
  options: BackoffOptions = defaultBackoff,
  retryAfter?: number,
): number {
  const exponent = Math.max(0, Math.min(receiveCount - 1, 30));
  const ceiling = Math.min(options.capSeconds, options.baseSeconds * 2 ** exponent);
  const jittered = Math.ceil(ceiling / 2 + (random * ceiling) / 2);
  return Math.min(Math.max(1, jittered, retryAfter ?? 0), MAX_VISIBILITY_SECONDS);
}

/** The fixed window of `seconds` (one, or a UTC day) a send at `now` counts against: its start, in epoch seconds. */
export function rateWindowOf(now: Date, seconds = 1): number {
  return Math.floor(now.getTime() / 1000 / seconds) * seconds;
}

/**
 * How long to put off a job whose rate-limit window is full: at least until the next window, spread at random over a
 * range that doubles with each deferral of the same job (1, 2, 4 … up to 900 s), so a backlog of n jobs for one
 * target settles in about log2(n) deferrals each instead of all of them retrying every second.
 */
export function rateDeferralSeconds(deferrals: number, random: number, now: Date): number {
  const untilNextWindow = 1 - (now.getTime() % 1000) / 1000;
  const spread = Math.min(MAX_DELAY_SECONDS, 2 ** Math.max(0, Math.min(deferrals, 10)));
  return Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil(untilNextWindow + random * spread)));
}

/**
 * What the sender does when it finds that an earlier attempt was interrupted (the function died between sending and
 * recording): whether that attempt reached the receiver is unknown.
 * - `never`: e-mail (SES has no idempotency key) and Slack (incoming webhooks have none): at most once. The message
 *   is recorded `failed` ("interrupted"); an admin can see it and send it again.
 * - `resend`: outbound webhooks, whose receivers de-duplicate on `webhook-id` (= the job id): at least once.
 * - `lookup`: Zendesk: look for the ticket by its `external_id` first, create it only when it is not there.
 *
 * A failure the sender does see (an HTTP answer, a refused connection, a timeout) is retried on every channel. The
 * one way an e-mail or a Slack message can still arrive twice is a request that timed out after the receiver had
 * taken it; treating timeouts as final instead would lose messages on every slow network, which is worse.
 */
export type RedeliveryPolicy = 'never' | 'resend' | 'lookup';

export const redeliveryPolicy: Readonly<Record<ChannelName, RedeliveryPolicy>> = {
  email: 'never',
  slack: 'never',
  webhook: 'resend',
  zendesk: 'lookup',
  // SendTextMessage has no idempotency key either.
  sms: 'never',
};

/** What to do with a message after a transient failure. */
export type RetryDecision =
  | { action: 'retry'; visibilitySeconds: number }
  /** The last allowed attempt failed and SQS itself will move the message to the DLQ on its next receive. */
  | { action: 'give_up'; visibilitySeconds: number }
  /** The last allowed attempt failed but SQS counted fewer receives (the job was deferred): move it to the DLQ. */
  | { action: 'dead_letter' };

/**
 * `attempts` counts every receive of this job, including those of the messages it was deferred from (a deferral
 * re-enqueues it as a new message, which restarts SQS's ApproximateReceiveCount); `receiveCount` is SQS's count for
 * the current message. After `maxAttempts` the job goes to the dead-letter queue, where `npm run redrive` finds it.
 */
export function retryDecision(input: {
  attempts: number;
  receiveCount: number;
  maxAttempts: number;
  random: number;
  retryAfterSeconds?: number;
}): RetryDecision {
  if (input.attempts >= input.maxAttempts) {
    return input.receiveCount >= input.maxAttempts
      ? { action: 'give_up', visibilitySeconds: 1 }
      : { action: 'dead_letter' };
  }
  return {
    action: 'retry',
    visibilitySeconds: backoffSeconds(input.attempts, input.random, defaultBackoff, input.retryAfterSeconds),
  };
}

const URL_PATTERN = /\bhttps?:\/\/[^\s"'<>]+/gi;
const EMAIL_PATTERN = /[^\s"'<>@]+@[^\s"'<>@]+\.[^\s"'<>@]+/g;

/** An error text safe to store and log: no URLs (they may carry tokens), no e-mail addresses, at most 300 characters. */
export function safeErrorText(text: string): string {
  const cleaned = text.replace(URL_PATTERN, '<url>').replace(EMAIL_PATTERN, '<email>').replace(/\s+/g, ' ').trim();
  return cleaned.length > 300 ? `${cleaned.slice(0, 299)}…` : cleaned;
}
