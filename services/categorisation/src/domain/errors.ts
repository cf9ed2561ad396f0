/**
 * The categorisation service's own failures, thrown by use cases that know nothing of HTTP;
 * `handlers/http-errors.ts` says once how each answers.
 */

/** A taxonomy version or a feedback's categorisation that does not exist. */
export class UnknownResourceError extends Error {
  override readonly name = 'UnknownResourceError';
}

/** A taxonomy version other than the next one, or taken by a concurrent edit: reload and retry. */
export class TaxonomyVersionConflictError extends Error {
  override readonly name = 'TaxonomyVersionConflictError';
}
