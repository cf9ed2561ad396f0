import { BadRequestError } from './errors';

/** Opaque pagination cursors: a DynamoDB `LastEvaluatedKey`, base64url-encoded. */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  return lastEvaluatedKey ? Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (decoded && typeof decoded === 'object' && !Array.isArray(decoded)) return decoded as Record<string, unknown>;
  } catch {
    // falls through to the 400 below
  }
  throw new BadRequestError('query.cursor: not a cursor returned by this API', undefined, 'validation_failed');
}
