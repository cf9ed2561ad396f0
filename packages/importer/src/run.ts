import { createWriteStream } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { importedContent, parseImportRow } from '@cxloop/collection/imports';
import type { RetentionPolicy } from '@cxloop/events';
import { type ImportApi, importApi } from './client';
import { type ColumnMapping, csvRows } from './csv';
import { delightedRows } from './delighted-json';
import { type ImportRowInput, type RejectedRow, type RowOrigin, rejectedRow, type SourceRow } from './rows';

export interface ImportOptions {
  from: 'delighted-json' | 'csv';
  /** A directory of saved Delighted pages, or a CSV file. */
  input: string;
  /** Needed unless `dryRun` (a dry run with them also checks scales and retention against the survey). */
  api?: string;
  key?: string;
  survey?: string;
  map?: ColumnMapping;
  preset?: string;
  /** Parse and check every row, send nothing. */
  dryRun?: boolean;
  rejects?: string;
  /** `delighted` for Delighted's exports, `csv` otherwise: with each sourceId it makes the stable response id. */
  source?: string;
  batchSize?: number;
  /** Batches in flight at once. */
  concurrency?: number;
}

export interface ImportSummary {
  read: number;
  /** Rows that passed every check (a dry run sends none of them). */
  valid: number;
  imported: number;
  duplicates: number;
  rejected: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  rejectsFile: string;
  dryRun: boolean;
}

export interface ImportIo {
  /** Progress goes here, and only when it is a TTY. */
  progress?: { isTTY?: boolean; write(text: string): unknown };
  fetch?: typeof fetch;
  now?: () => Date;
}

/** Where rejected rows go unless said: beside the input, `<name>.rejects.jsonl`. */
export function defaultRejectsPath(input: string): string {
  const name = basename(input.replace(/\/+$/, ''));
  return join(
    dirname(input.replace(/\/+$/, '')),
    `${name.slice(0, name.length - extname(name).length) || name}.rejects.jsonl`,
  );
}

/**
 * Reads the input row by row (a CSV streamed, Delighted's pages one at a time), checks each row with the import API's
 * own schema (and, knowing the survey, its scale and the retention policy), sends batches with a few in flight, and
 * writes every rejected row, its own or the server's, to the rejects file. Memory stays bounded by the batches in flight.
 */
export async function runImport(options: ImportOptions, io: ImportIo = {}): Promise<ImportSummary> {
  const started = performance.now();
  const now = io.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 2;
  const dryRun = options.dryRun ?? false;
  const source =
    options.source ?? (options.from === 'delighted-json' || options.preset === 'delighted-csv' ? 'delighted' : 'csv');
  const { api, key, survey: surveyId } = options;
  if (!dryRun && !(api && key && surveyId)) throw new Error('--api, --key and --survey are needed (or --dry-run)');
  const client: ImportApi | undefined =
    api && key && surveyId ? importApi({ api, key, surveyId, ...(io.fetch ? { fetch: io.fetch } : {}) }) : undefined;
  const [survey, policy]: [{ type: 'nps' | 'csat' | 'ces' } | undefined, RetentionPolicy | undefined] = client
    ? await Promise.all([client.survey(), client.retention()])
    : [undefined, undefined];

  const rejectsFile = options.rejects ?? defaultRejectsPath(options.input);
  const rejects = createWriteStream(rejectsFile);
  const counts = { read: 0, valid: 0, imported: 0, duplicates: 0, rejected: 0 };
  const reject = (row: RejectedRow) => {
    counts.rejected += 1;
    rejects.write(`${JSON.stringify(row)}\n`);
  };

  const progress = io.progress?.isTTY ? io.progress : undefined;
  let shownAt = 0;
  const show = (force = false) => {
    if (!progress || (!force && performance.now() - shownAt < 200)) return;
    shownAt = performance.now();
    const rate = Math.round(counts.read / Math.max((shownAt - started) / 1000, 0.001));
    progress.write(
      `\r${dryRun ? 'checked' : 'read'} ${counts.read} · imported ${counts.imported} · duplicates ${counts.duplicates} · rejected ${counts.rejected} · ${rate} rows/s `,
    );
  };

  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const send = async (batch: { origin: RowOrigin; row: ImportRowInput }[]) => {
    const answer = await (client as ImportApi).send(
      source,
      batch.map((item) => item.row),
    );
    for (const result of answer.rows) {
      const item = batch[result.index];
      if (result.status === 'imported') counts.imported += 1;
      else if (result.status === 'duplicate') counts.duplicates += 1;
      else if (result.status === 'rejected' && item) {
        const { reason, field, message } = result;
        reject(rejectedRow(item.origin, item.row.sourceId, { reason, field, message }));
      }
    }
    show();
  };
  let batch: { origin: RowOrigin; row: ImportRowInput }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const sending = batch;
    batch = [];
    const request = send(sending).catch((error: unknown) => {
      failure ??= error;
    });
    const tracked = request.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
  };

  const rows: AsyncGenerator<SourceRow> =
    options.from === 'csv'
      ? csvRows(options.input, options.preset, options.map ?? { fields: {}, properties: {} })
      : delightedRows(options.input, survey?.type);
  try {
    for await (const item of rows) {
      if (failure) break;
      counts.read += 1;
      if ('rejection' in item) {
        reject(rejectedRow(item.origin, item.sourceId, item.rejection));
        continue;
      }
      const parsed = parseImportRow(item.row);
      const checked =
        'rejection' in parsed ? parsed : survey && policy ? importedContent(survey, parsed.row, policy, now()) : parsed;
      if ('rejection' in checked) {
        reject(rejectedRow(item.origin, item.sourceId, checked.rejection));
        continue;
      }
      counts.valid += 1;
      if (!dryRun) {
        batch.push({ origin: item.origin, row: item.row });
        if (batch.length >= batchSize) await flush();
      }
      show();
    }
    await flush();
    await Promise.all(inFlight);
  } finally {
    rejects.end();
    await finished(rejects);
    show(true);
    progress?.write('\n');
  }
  if (failure) throw failure;
  const seconds = (performance.now() - started) / 1000;
  return {
    ...counts,
    seconds: Math.round(seconds * 100) / 100,
    rowsPerSecond: Math.round(counts.read / Math.max(seconds, 0.001)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    rejectsFile,
    dryRun,
  };
}
