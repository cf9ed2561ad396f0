import { toHttpError } from '@cxloop/lambda-kit';
import { collectionErrors } from '../../src/handlers/http-errors';

/** A use case's outcome as the service answers it over HTTP: a rejection becomes the error table's HttpError. */
export const answered = <T>(work: Promise<T>): Promise<T> =>
  work.catch((error: unknown) => {
    throw toHttpError(error, collectionErrors);
  });
