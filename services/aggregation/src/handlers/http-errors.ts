import { BadRequestError, ConflictError, type RouteHandler } from '@cxloop/lambda-kit';
import { InvalidMetricInputError } from '../domain/metrics';
import { SelectionError } from '../domain/selection';
import { RebuildConflictError } from '../use-cases/rebuild';

/** The aggregation service's own errors as HTTP answers: 400 naming the query parameter, 409 for a rebuild clash. */
export function withServiceErrors(route: RouteHandler): RouteHandler {
  return async (request) => {
    try {
      return await route(request);
    } catch (error) {
      if (error instanceof SelectionError) {
        throw new BadRequestError(
          `${error.field}: ${error.message}`,
          { issues: [{ field: error.field, message: error.message }] },
          'validation_failed',
        );
      }
      if (error instanceof InvalidMetricInputError)
        throw new BadRequestError(error.message, undefined, 'validation_failed');
      if (error instanceof RebuildConflictError) throw new ConflictError(error.message);
      throw error;
    }
  };
}
