import {
  BadRequestError,
  ConflictError,
  mapError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
} from '@cxloop/lambda-kit';
import { ResponseErasedError } from '../domain/erasure';
import {
  ConcurrentChangeError,
  MalformedBodyError,
  RateLimitExceededError,
  StateConflictError,
  SurveyPausedError,
  UnknownResourceError,
  UnverifiedDeliveryError,
} from '../domain/errors';
import { RespondentSignatureError } from '../domain/respondents';
import { RespondentMismatchError, ResponseFieldError } from '../domain/responses';
import { RetentionPolicyVersionConflictError } from '../store/retention-policy';

const validationFailed = (field: string, message: string) =>
  new BadRequestError(`${field}: ${message}`, { issues: [{ field, message }] }, 'validation_failed');

/** The collection service's own errors as HTTP answers, for every route of its handlers. */
export const collectionErrors = [
  mapError(UnknownResourceError, (error) => new NotFoundError(error.message)),
  mapError(SurveyPausedError, (error) => new BadRequestError(error.message, undefined, 'survey_paused')),
  mapError(ResponseFieldError, (error) => validationFailed(error.field, error.message)),
  mapError(MalformedBodyError, (error) => new BadRequestError(error.message, undefined, error.code)),
  mapError(
    RespondentSignatureError,
    (error) => new UnauthorizedError(`body.respondent.${error.field}: ${error.reason}`),
  ),
  mapError(UnverifiedDeliveryError, (error) => new UnauthorizedError(error.message)),
  mapError(RespondentMismatchError, (error) => new ConflictError(error.message)),
  mapError(ResponseErasedError, (error) => new ConflictError(error.message, { reason: 'response_erased' })),
  mapError(ConcurrentChangeError, (error) => new ConflictError(error.message)),
  mapError(StateConflictError, (error) => new ConflictError(error.message)),
  mapError(
    RetentionPolicyVersionConflictError,
    (error) => new ConflictError(error.message, { currentVersion: error.currentVersion }),
  ),
  mapError(
    RateLimitExceededError,
    (error) =>
      new TooManyRequestsError(error.message, error.retryAfterSeconds, {
        limit: error.limit.name,
        max: error.limit.limit,
        windowSeconds: error.limit.windowSeconds,
      }),
  ),
];
