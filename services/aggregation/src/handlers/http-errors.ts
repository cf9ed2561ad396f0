import { BadRequestError, ConflictError, mapError } from '@cxloop/lambda-kit';
import { InvalidMetricInputError } from '../domain/metrics';
import { SelectionError } from '../domain/selection';
import { RebuildConflictError } from '../use-cases/rebuild';

/** The aggregation service's own errors as HTTP answers: 400 naming the query parameter, 409 for a rebuild clash. */
export const aggregationErrors = [
  mapError(
    SelectionError,
    (error) =>
      new BadRequestError(
        `${error.field}: ${error.message}`,
        { issues: [{ field: error.field, message: error.message }] },
        'validation_failed',
      ),
  ),
  mapError(InvalidMetricInputError, (error) => new BadRequestError(error.message, undefined, 'validation_failed')),
  mapError(RebuildConflictError, (error) => new ConflictError(error.message)),
];
