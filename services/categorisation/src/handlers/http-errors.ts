import { ConflictError, mapError, NotFoundError } from '@cxloop/lambda-kit';
import { TaxonomyVersionConflictError, UnknownResourceError } from '../domain/errors';

/** The categorisation service's own errors as HTTP answers, for every route of its handlers. */
export const categorisationErrors = [
  mapError(UnknownResourceError, (error) => new NotFoundError(error.message)),
  mapError(TaxonomyVersionConflictError, (error) => new ConflictError(error.message)),
];
