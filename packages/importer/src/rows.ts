import type { ImportRejection } from '@cxloop/collection/imports';

/** Where a row was read: a CSV line, or an item of a JSON page. */
export type RowOrigin = { file: string; line: number } | { file: string; index: number };

/** A row as the import API takes it (checked by the API's own schema before it is sent). */
export interface ImportRowInput {
  sourceId: string;
  answeredAt: string;
  score: number;
  comment?: string;
  respondent?: { id?: string; email?: string; name?: string };
  properties?: Record<string, string | number | boolean>;
}

/** One row read from the input: what to send, or why it cannot be. */
export type SourceRow = { origin: RowOrigin; sourceId?: string } & (
  | { row: ImportRowInput }
  | { rejection: ImportRejection }
);

/** A rejected row as the rejects file lists it (one JSON object per line). */
export interface RejectedRow {
  file: string;
  line?: number;
  index?: number;
  sourceId?: string;
  reason: string;
  field: string;
  message: string;
}

export function rejectedRow(origin: RowOrigin, sourceId: string | undefined, rejection: ImportRejection): RejectedRow {
  return { ...origin, ...(sourceId !== undefined ? { sourceId } : {}), ...rejection };
}

export const invalidField = (field: string, message: string): ImportRejection => ({
  reason: 'invalid',
  field,
  message,
});

/**
 * A time as the sources write it: ISO 8601 (a time without an offset is taken as UTC), `YYYY-MM-DD HH:MM[:SS]` (UTC),
 * or Unix seconds. Undefined when it is none of these.
 */
export function isoTime(value: string | number): string | undefined {
  if (typeof value === 'number' || /^\d{9,11}$/.test(value)) {
    const seconds = Number(value);
    return Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : undefined;
  }
  const text = value.trim().replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(text)) return undefined;
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) && text.includes('T');
  const time = Date.parse(hasOffset ? text : `${text.includes('T') ? text : `${text}T00:00`}Z`);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** Customer properties the API accepts (scalars); empty values and nested objects are left out. */
export function scalarProperties(values: Record<string, unknown>): Record<string, string | number | boolean> {
  const properties: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() !== '') properties[key] = value.trim();
    else if (typeof value === 'number' || typeof value === 'boolean') properties[key] = value;
  }
  return properties;
}
