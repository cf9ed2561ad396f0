/**
 * The collection service's own failures, thrown by use cases and stores that know nothing of HTTP;
 * `handlers/http-errors.ts` says once how each answers.
 */

/** A survey, integration or key that does not exist (or is disabled, which a caller may not tell apart). */
export class UnknownResourceError extends Error {
  override readonly name = 'UnknownResourceError';
}

/** The survey exists but takes no answers now. */
export class SurveyPausedError extends Error {
  override readonly name = 'SurveyPausedError';
  constructor(readonly surveyId: string) {
    super(`Survey ${surveyId} is paused`);
  }
}

/** A body that is not what its sender's format promises (not JSON, not the provider's payload). */
export class MalformedBodyError extends Error {
  override readonly name = 'MalformedBodyError';
  constructor(
    readonly code: 'invalid_json' | 'invalid_payload',
    message: string,
  ) {
    super(message);
  }
}

/** A webhook whose signature, token or push identity does not check out. */
export class UnverifiedDeliveryError extends Error {
  override readonly name = 'UnverifiedDeliveryError';
  constructor(readonly reason: string) {
    super(`Webhook not verified: ${reason}`);
  }
}

/** Another request changed the item between this request's read and its write: read it again. */
export class ConcurrentChangeError extends Error {
  override readonly name = 'ConcurrentChangeError';
}

/** The request is valid but the item's state does not allow it. */
export class StateConflictError extends Error {
  override readonly name = 'StateConflictError';
}

/** A counter over its limit in the current window. */
export class RateLimitExceededError extends Error {
  override readonly name = 'RateLimitExceededError';
  constructor(
    readonly limit: { readonly name: string; readonly limit: number; readonly windowSeconds: number },
    readonly retryAfterSeconds: number,
  ) {
    super(`Too many requests (${limit.name}): at most ${limit.limit} per ${limit.windowSeconds} s`);
  }
}
