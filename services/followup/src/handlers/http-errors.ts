import { BadRequestError, ConflictError, mapError, NotFoundError } from '@cxloop/lambda-kit';
import { InvalidCaseTransitionError } from '../domain/case-lifecycle';
import { CaseVersionConflictError, InvalidCaseCursorError } from '../store/cases';
import { InvalidStoredSettingsError } from '../store/channel-settings';
import { ConfigVersionConflictError } from '../store/config';
import { RuleSetVersionConflictError } from '../store/rules';
import { CaseNotFoundError, TooManyNotesError } from '../use-cases/manage-cases';

/** The follow-up service's own errors as HTTP answers, for every route of its handlers. */
export const followUpErrors = [
  mapError(CaseNotFoundError, (error) => new NotFoundError(error.message)),
  mapError(InvalidCaseTransitionError, (error) => new ConflictError(error.message, { from: error.from, to: error.to })),
  mapError(
    CaseVersionConflictError,
    (error) => new ConflictError(error.message, { expectedVersion: error.expectedVersion }),
  ),
  mapError(TooManyNotesError, (error) => new ConflictError(error.message)),
  mapError(
    RuleSetVersionConflictError,
    (error) => new ConflictError(error.message, { currentVersion: error.currentVersion }),
  ),
  mapError(
    ConfigVersionConflictError,
    (error) => new ConflictError(error.message, { currentVersion: error.currentVersion }),
  ),
  mapError(
    InvalidCaseCursorError,
    (error) => new BadRequestError(`query.cursor: ${error.message}`, undefined, 'validation_failed'),
  ),
  // A settings document broken by hand: PUT replaces it.
  mapError(InvalidStoredSettingsError, (error) => new ConflictError(error.message)),
];
