import type * as z from 'zod';
import { BadRequestError } from './errors';

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

/** Parses `value` with `schema`, or throws a 400 whose message names every failing field. */
export function parseOrBadRequest<S extends z.ZodType>(schema: S, value: unknown, location: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = fieldIssues(result.error, location);
  throw new BadRequestError(
    issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '),
    { issues },
    'validation_failed',
  );
}
