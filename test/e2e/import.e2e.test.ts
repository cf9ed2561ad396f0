import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDelightedExport } from '../support/delighted-export';
import { startTestRuntime, TEST_ADMIN_KEY, type TestRuntime } from '../support/runtime';

const run = promisify(execFile);
// A thousand rows keeps the test near a minute on a small machine (the local runtime imports some 20–40 rows/s while it
// also categorises and counts them); npm run bench:import measures larger imports.
const ROWS = 1000;
const IMPORT_TIMEOUT_MS = 150_000;
const MONTHS = 6;

/** Issue 11, point 3: a Delighted export through `npm run import` into the local runtime, twice. */
describe('importing history through the CLI', () => {
  let system: TestRuntime;
  let surveyId: string;
  let dir: string;
  let perMonth: Map<string, number>;
  const now = new Date();
  const createdAt = Math.floor(now.getTime() / 1000) - 86_400;
  const malformed = [
    { id: 'bad-1', survey_type: 'nps', score: 'ten', created_at: createdAt },
    { id: 'bad-2', survey_type: 'nps', score: 11, created_at: createdAt },
    { id: 'bad-3', survey_type: 'nps', score: 5 },
    { id: 'bad-4', survey_type: 'smileys', score: 4, created_at: createdAt },
    { id: 'bad-5', survey_type: 'nps', score: 9, created_at: createdAt - 5 * 365 * 86_400 },
    { id: 'bad-6', survey_type: 'nps', score: 2, person: { email: 'not-an-address' }, created_at: createdAt },
  ];

  const importCli = async () => {
    const { stdout } = await run(
      'npx',
      [
        'tsx',
        'packages/importer/src/cli.ts',
        '--from',
        'delighted-json',
        dir,
        '--api',
        system.runtime.url,
        '--key',
        TEST_ADMIN_KEY,
        '--survey',
        surveyId,
        '--json',
      ],
      { maxBuffer: 1 << 20 },
    );
    return JSON.parse(stdout) as {
      read: number;
      imported: number;
      duplicates: number;
      rejected: number;
      rejectsFile: string;
    };
  };

  beforeAll(async () => {
    system = await startTestRuntime();
    const created = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Delighted history', type: 'nps', timeZone: 'UTC' },
    });
    surveyId = ((await created.json()) as { id: string }).id;
    dir = mkdtempSync(join(tmpdir(), 'cxloop-import-e2e-'));
    perMonth = writeDelightedExport(dir, { rows: ROWS, months: MONTHS, now });
    writeFileSync(join(dir, 'survey_responses-999.json'), JSON.stringify(malformed));
  });
  afterAll(async () => {
    await system?.stop();
  });

  it(
    'imports every well-formed row and lists exactly the malformed ones in the rejects file',
    async () => {
      const summary = await importCli();
      expect(summary).toMatchObject({
        read: ROWS + malformed.length,
        imported: ROWS,
        duplicates: 0,
        rejected: malformed.length,
      });
      const rejects = readFileSync(summary.rejectsFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(rejects.map((row) => [row.file, row.index, row.sourceId, row.reason, row.field])).toEqual([
        ['survey_responses-999.json', 0, 'bad-1', 'invalid', 'score'],
        ['survey_responses-999.json', 1, 'bad-2', 'invalid', 'score'],
        ['survey_responses-999.json', 2, 'bad-3', 'invalid', 'created_at'],
        ['survey_responses-999.json', 3, 'bad-4', 'invalid', 'survey_type'],
        ['survey_responses-999.json', 4, 'bad-5', 'past_retention', 'answeredAt'],
        ['survey_responses-999.json', 5, 'bad-6', 'invalid', 'respondent.email'],
      ]);
    },
    IMPORT_TIMEOUT_MS,
  );

  it('shows the past months in the trend, and sends nothing: no e-mail, no case, no outbound message', async () => {
    await system.runtime.idle(50_000);
    const months = [...perMonth.keys()].sort();
    const query = `surveyId=${surveyId}&from=${months[0]}-01&to=${now.toISOString().slice(0, 10)}&interval=month`;
    const metrics = (await (await system.api(`/v1/metrics?${query}`, { admin: true })).json()) as {
      responses: number;
      points: { start: string; responses: number }[];
    };
    expect(metrics.responses).toBe(ROWS);
    const trend = new Map(metrics.points.map((point) => [point.start.slice(0, 7), point.responses]));
    expect(Object.fromEntries([...trend].filter(([, responses]) => responses > 0))).toEqual(
      Object.fromEntries(perMonth),
    );
    expect(perMonth.size).toBeGreaterThanOrEqual(MONTHS);

    expect(system.runtime.outbox()).toEqual([]);
    const open = (await (await system.api('/v1/followups?status=open', { admin: true })).json()) as {
      items: unknown[];
    };
    expect(open.items).toEqual([]);
    const outboundQueue = Object.keys(system.runtime.resources.queues).filter((id) => id.includes('Outbound'));
    for (const queue of outboundQueue) expect(system.runtime.queueMessages(queue), queue).toEqual([]);
  }, 60_000);

  it('imports nothing on a second run', async () => {
    const summary = await importCli();
    expect(summary).toMatchObject({ imported: 0, duplicates: ROWS, rejected: malformed.length });
    await system.runtime.idle(30_000);
    const metrics = (await (await system.api(`/v1/metrics?surveyId=${surveyId}`, { admin: true })).json()) as {
      responses: number;
    };
    expect(metrics.responses).toBe(ROWS);
  }, 60_000);
});
