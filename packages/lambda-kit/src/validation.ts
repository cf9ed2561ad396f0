import type * as z from 'zod';

export interface FieldIssue {
  /** Dotted path of the failing field, prefixed by where it came from (`body.score`, `query.from`). */
  field: string;
  message: string;
}

export function fieldIssues(error: z.ZodError, location: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/** Input that fails its schema, field by field; every router answers it as a 400 `validation_failed`. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '));
  }
}

/**
 * Parses `value` with `schema`, or throws an InvalidInputError naming every failing field. Domain code and handlers
 * both use it: the error says nothing of HTTP, and `toHttpError` turns it into the 400.
 */
export function parseOrBadRequest<S extends z.ZodType>(schema: S, value: unknown, location: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidInputError(fieldIssues(result.error, location));
}
