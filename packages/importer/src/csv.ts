import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { type ImportRowInput, invalidField, isoTime, type SourceRow } from './rows';

export const importFields = [
  'sourceId',
  'answeredAt',
  'score',
  'comment',
  'respondent.id',
  'respondent.email',
  'respondent.name',
] as const;
export type ImportField = (typeof importFields)[number];
const requiredFields: readonly ImportField[] = ['sourceId', 'answeredAt', 'score'];
const aliases: Record<string, ImportField> = {
  id: 'respondent.id',
  email: 'respondent.email',
  name: 'respondent.name',
};

/** Which column holds each field, and which columns become customer properties (property → column). */
export interface ColumnMapping {
  fields: Partial<Record<ImportField, string>>;
  properties: Record<string, string>;
}

export class MappingError extends Error {
  override readonly name = 'MappingError';
}

/** `--map score=Score,comment=Comment,email=E-mail,properties.plan=Plan` (`email`, `name`, `id`: the respondent's). */
export function parseMapSpec(spec: string | undefined): ColumnMapping {
  const mapping: ColumnMapping = { fields: {}, properties: {} };
  for (const entry of (spec ?? '').split(',').filter((part) => part.trim() !== '')) {
    const at = entry.indexOf('=');
    const target = entry.slice(0, at).trim();
    const column = entry.slice(at + 1).trim();
    if (at < 1 || column === '') throw new MappingError(`--map ${entry}: expected field=Column`);
    if (target.startsWith('properties.') && target.length > 'properties.'.length) {
      mapping.properties[target.slice('properties.'.length)] = column;
      continue;
    }
    const field = aliases[target] ?? target;
    if (!(importFields as readonly string[]).includes(field)) {
      throw new MappingError(
        `--map ${entry}: ${target} is none of ${[...importFields, 'properties.<name>'].join(', ')}`,
      );
    }
    mapping.fields[field as ImportField] = column;
  }
  return mapping;
}

/**
 * Delighted's CSV export, column names matched case-insensitively, the first present of each list winning. The field
 * names are those of Delighted's API (https://delighted.com/docs/api/listing-survey-responses: id, person, score,
 * comment, created_at, person_properties); its help centre's list of export columns could not be found, so the
 * column titles below are the likely spellings, not a documented list: where an export differs, `--map` overrides
 * any of them (`--preset delighted-csv --map answeredAt="Response date"`), and each property column to keep is mapped
 * with `--map properties.<name>=<Column>`.
 */
export const presets: Record<string, Partial<Record<ImportField, readonly string[]>>> = {
  'delighted-csv': {
    sourceId: ['Response ID', 'Response Id', 'ID'],
    answeredAt: ['Response Timestamp', 'Created At', 'Responded At', 'Date', 'Timestamp'],
    score: ['Score'],
    comment: ['Comment'],
    'respondent.id': ['Person ID', 'Customer ID'],
    'respondent.email': ['Email', 'Person Email'],
    'respondent.name': ['Name', 'Person Name'],
  },
};

/** The mapping for a file's header: the preset's columns it has, then `--map` over them; every column must exist. */
export function resolveMapping(
  header: readonly string[],
  preset: string | undefined,
  map: ColumnMapping,
): ColumnMapping {
  const byName = new Map(header.map((column) => [column.trim().toLowerCase(), column]));
  const fields: ColumnMapping['fields'] = {};
  if (preset !== undefined) {
    const candidates = presets[preset];
    if (!candidates) throw new MappingError(`--preset ${preset}: known presets are ${Object.keys(presets).join(', ')}`);
    for (const [field, names] of Object.entries(candidates)) {
      const column = names.map((name) => byName.get(name.toLowerCase())).find((found) => found !== undefined);
      if (column !== undefined) fields[field as ImportField] = column;
    }
  }
  const mapping = { fields: { ...fields, ...map.fields }, properties: map.properties };
  const missing = requiredFields.filter((field) => mapping.fields[field] === undefined);
  if (missing.length > 0) {
    throw new MappingError(
      `no column for ${missing.join(', ')}: map them with --map ${missing.map((field) => `${field}=<Column>`).join(',')} (the header is: ${header.join(', ')})`,
    );
  }
  for (const column of [...Object.values(mapping.fields), ...Object.values(mapping.properties)]) {
    if (!header.includes(column)) throw new MappingError(`no column "${column}" in the header: ${header.join(', ')}`);
  }
  return mapping;
}

/** One CSV record (column → text) as a row to import; an empty optional cell is left out. */
export function rowFromRecord(
  record: Readonly<Record<string, string | undefined>>,
  mapping: ColumnMapping,
  origin: SourceRow['origin'],
): SourceRow {
  const cell = (field: ImportField) => {
    const column = mapping.fields[field];
    const value = column === undefined ? undefined : record[column]?.trim();
    return value === '' ? undefined : value;
  };
  const sourceId = cell('sourceId');
  const reject = (field: string, message: string) => ({
    origin,
    ...(sourceId !== undefined ? { sourceId } : {}),
    rejection: invalidField(field, message),
  });
  if (sourceId === undefined) return reject('sourceId', 'is empty');
  const scoreText = cell('score');
  if (scoreText === undefined || !/^-?\d+$/.test(scoreText)) return reject('score', 'expected a whole number');
  const answeredAtText = cell('answeredAt');
  const answeredAt = answeredAtText === undefined ? undefined : isoTime(answeredAtText);
  if (answeredAt === undefined) {
    return reject('answeredAt', 'expected an ISO 8601 time, "YYYY-MM-DD HH:MM:SS" (UTC) or Unix seconds');
  }
  const respondent = Object.fromEntries(
    (['id', 'email', 'name'] as const)
      .map((key) => [key, cell(`respondent.${key}`)] as const)
      .filter(([, value]) => value !== undefined),
  );
  const properties = Object.fromEntries(
    Object.entries(mapping.properties)
      .map(([name, column]) => [name, record[column]?.trim() ?? ''] as const)
      .filter(([, value]) => value !== ''),
  );
  const comment = cell('comment');
  const row: ImportRowInput = {
    sourceId,
    answeredAt,
    score: Number(scoreText),
    ...(comment !== undefined ? { comment } : {}),
    ...(Object.keys(respondent).length > 0 ? { respondent } : {}),
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
  return { origin, sourceId, row };
}

/**
 * The rows of a CSV file, streamed, each with its line number (the header is line 1; a record spanning lines has
 * the number of its last one). A record the parser cannot read (a broken quote) is a rejected row, not an abort.
 */
export async function* csvRows(
  path: string,
  preset: string | undefined,
  map: ColumnMapping,
): AsyncGenerator<SourceRow> {
  const file = basename(path);
  // The parser reports a record it skips as soon as it reads it, ahead of the records still buffered, once per fault.
  const unreadable = new Map<number, SourceRow>();
  const unreadableBefore = function* (line: number) {
    for (const [at, row] of [...unreadable].sort(([a], [b]) => a - b)) {
      if (at >= line) return;
      unreadable.delete(at);
      yield row;
    }
  };
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      columns: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        const line = (error as { lines?: number } | undefined)?.lines ?? 0;
        if (unreadable.has(line)) return;
        unreadable.set(line, {
          origin: { file, line },
          rejection: invalidField('row', error?.message ?? 'unreadable'),
        });
      },
    }),
  );
  let mapping: ColumnMapping | undefined;
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number; columns: { name: string }[] | boolean };
  }>) {
    yield* unreadableBefore(info.lines);
    if (!mapping) {
      const header = Array.isArray(info.columns) ? info.columns.map((column) => column.name) : Object.keys(record);
      mapping = resolveMapping(header, preset, map);
    }
    yield rowFromRecord(record, mapping, { file, line: info.lines });
  }
  yield* unreadableBefore(Number.POSITIVE_INFINITY);
}
