/**
 * Import figures: N generated Delighted-shaped responses (12 months, RU/EN comments) through `npm run import` into the
 * local runtime (the synthesized app, in-memory DynamoDB Local). Prints the importer's rows/s and peak RSS (its own
 * process), the time until GET /v1/metrics counts all of them (categorised and aggregated), and a second run's
 * figures, which must import 0.
 *
 * Usage: npm run bench:import [-- --rows 100000 --concurrency 2]
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { synthesizeApp } from '@cxloop/infra';
import { startLocalRuntime } from '@cxloop/local-runtime';
import type { ImportSummary } from '../../packages/importer/src/run';
import { writeDelightedExport } from '../support/delighted-export';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, concurrency: { type: 'string', default: '2' } },
});
const rows = Number(values.rows);
const adminKey = 'bench-admin-key-0123456789abcdefghijkl';
const run = promisify(execFile);

const outdir = mkdtempSync(join(tmpdir(), 'cxloop-bench-import-'));
const exportDir = join(outdir, 'delighted');
mkdirSync(exportDir);
writeDelightedExport(exportDir, { rows, months: 12, now: new Date() });

const synthesized = await synthesizeApp({ outdir: join(outdir, 'cdk.out') });
const runtime = await startLocalRuntime({
  assemblyDir: synthesized.assemblyDir,
  port: 0,
  secretValues: { [synthesized.adminKeySecretLogicalId]: adminKey },
  log: () => {},
});
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${runtime.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
  });

try {
  const created = await api('/v1/surveys', {
    method: 'POST',
    body: JSON.stringify({ name: 'Imported NPS', type: 'nps', timeZone: 'Europe/Moscow' }),
  });
  const surveyId = ((await created.json()) as { id: string }).id;
  const importOnce = async () => {
    const { stdout } = await run(
      'npx',
      [
        'tsx',
        'packages/importer/src/cli.ts',
        '--from',
        'delighted-json',
        exportDir,
        '--api',
        runtime.url,
        '--key',
        adminKey,
        '--survey',
        surveyId,
        '--concurrency',
        values.concurrency,
        '--json',
      ],
      { maxBuffer: 1 << 20 },
    );
    return JSON.parse(stdout) as ImportSummary;
  };
  const counted = async () =>
    ((await (await api(`/v1/metrics?surveyId=${surveyId}`)).json()) as { responses: number }).responses;

  const started = performance.now();
  const first = await importOnce();
  const imported = performance.now();
  let responses = await counted();
  while (responses < first.imported) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    responses = await counted();
  }
  const countedAt = performance.now();
  const second = await importOnce();

  console.table({
    'first run': {
      read: first.read,
      imported: first.imported,
      duplicates: first.duplicates,
      rejected: first.rejected,
      seconds: first.seconds,
      'rows/s': first.rowsPerSecond,
      'peak RSS MiB': first.peakRssMiB,
    },
    'second run': {
      read: second.read,
      imported: second.imported,
      duplicates: second.duplicates,
      rejected: second.rejected,
      seconds: second.seconds,
      'rows/s': second.rowsPerSecond,
      'peak RSS MiB': second.peakRssMiB,
    },
  });
  console.table({
    'until GET /v1/metrics counts all': {
      'seconds from the start': +((countedAt - started) / 1000).toFixed(1),
      'seconds after the import': +((countedAt - imported) / 1000).toFixed(1),
      responses,
    },
  });
  if (second.imported !== 0) throw new Error(`the second run imported ${second.imported} rows`);
} finally {
  await runtime.stop();
  rmSync(outdir, { recursive: true, force: true });
}
