import { InvalidInputError } from './validation';

/** Errors that handlers throw to answer an HTTP request with a specific status; mapped in one place (`http.ts`). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string, details?: unknown, code = 'bad_request') {
    super(400, code, message, details);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'Missing or invalid credentials') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'Not allowed') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, details?: unknown) {
    super(409, 'conflict', message, details);
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `Body is larger than ${limitBytes} bytes`);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(expected: string) {
    super(415, 'unsupported_media_type', `Content-Type must be ${expected}`, { expected });
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(
    message = 'Too many requests',
    readonly retryAfterSeconds?: number,
    details?: unknown,
  ) {
    super(429, 'too_many_requests', message, details);
  }
}

/** How a service answers one of its own (domain) errors: the class, and the HttpError it becomes. */
export interface ErrorRule {
  readonly type: abstract new (...args: never[]) => Error;
  readonly toHttp: (error: never) => HttpError;
}

export const mapError = <E extends Error>(
  type: abstract new (...args: never[]) => E,
  toHttp: (error: E) => HttpError,
): ErrorRule => ({ type, toHttp });

/** Rules every service shares, after its own. */
const commonRules: readonly ErrorRule[] = [
  mapError(
    InvalidInputError,
    (error) => new BadRequestError(error.message, { issues: error.issues }, 'validation_failed'),
  ),
];

/** The HttpError a thrown error answers as under a service's rules; anything else is left as it is (a 500). */
export function toHttpError(error: unknown, rules: readonly ErrorRule[]): unknown {
  const rule = [...rules, ...commonRules].find((candidate) => error instanceof candidate.type);
  return rule ? (rule.toHttp as (error: unknown) => HttpError)(error) : error;
}
