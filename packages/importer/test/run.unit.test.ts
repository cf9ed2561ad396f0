import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../src/client';
import { parseMapSpec } from '../src/csv';
import { defaultRejectsPath, runImport } from '../src/run';

const now = new Date('2026-11-20T10:00:00Z');
const header = 'ID,When,Score,Comment,Email';
const lines = [
  header,
  '1,2026-05-01T10:00:00Z,9,Отлично,anna@example.com',
  '2,2026-05-02T10:00:00Z,12,,',
  '3,not a date,5,,',
  '4,2020-01-01T00:00:00Z,7,,',
  '5,2026-05-03T10:00:00Z,3,Slow delivery,not-an-address',
  '6,2026-05-04T10:00:00Z,0,,',
];
const map = parseMapSpec('sourceId=ID,answeredAt=When,score=Score,comment=Comment,email=Email');

function csvFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'import-run-')), 'answers.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const rejects = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** cxloop's API at the HTTP boundary: the survey, the default policy, and a server that imports what it is sent. */
function fakeApi(options: { throttleFirst?: boolean; serverRejects?: string } = {}) {
  const requests: { method: string; url: string; body?: { source: string; rows: { sourceId: string }[] } }[] = [];
  let throttled = options.throttleFirst ?? false;
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    requests.push({ method: init?.method ?? 'GET', url: String(url), body });
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(payload), { status, headers: { 'content-type': 'application/json', ...headers } });
    if (String(url).endsWith('/v1/surveys/srv_1')) return reply(200, { id: 'srv_1', type: 'nps' });
    if (String(url).endsWith('/v1/retention')) {
      return reply(200, {
        policy: { feedbackTextDays: 1095, contactDetailsDays: 730, messagesDays: 400, casesDays: 1095 },
      });
    }
    if (throttled) {
      throttled = false;
      return reply(429, { message: 'Too many requests' }, { 'retry-after': '0' });
    }
    const rows = (body as { rows: { sourceId: string }[] }).rows.map((row, index) =>
      row.sourceId === options.serverRejects
        ? { index, sourceId: row.sourceId, status: 'rejected', reason: 'erased', field: 'sourceId', message: 'erased' }
        : { index, sourceId: row.sourceId, status: 'imported' },
    );
    return reply(200, { imported: rows.length, duplicates: 0, rejected: 0, rows });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

describe('runImport', () => {
  it('checks every row in a dry run and lists each rejected one with its line, sending nothing', async () => {
    const input = csvFile();
    const api = fakeApi();
    const summary = await runImport(
      { from: 'csv', input, map, dryRun: true, api: 'http://cxloop.test', key: 'k', survey: 'srv_1' },
      { fetch: api.fetch, now: () => now },
    );
    expect(summary).toMatchObject({ read: 6, valid: 2, imported: 0, rejected: 4, dryRun: true });
    expect(api.requests.filter((request) => request.method === 'POST')).toEqual([]);
    expect(summary.rejectsFile).toBe(defaultRejectsPath(input));
    expect(rejects(summary.rejectsFile)).toEqual([
      expect.objectContaining({ file: 'answers.csv', line: 3, sourceId: '2', reason: 'invalid', field: 'score' }),
      expect.objectContaining({ line: 4, sourceId: '3', reason: 'invalid', field: 'answeredAt' }),
      expect.objectContaining({ line: 5, sourceId: '4', reason: 'past_retention', field: 'answeredAt' }),
      expect.objectContaining({ line: 6, sourceId: '5', reason: 'invalid', field: 'respondent.email' }),
    ]);
  });

  it('checks only the row schema in a dry run without an API', async () => {
    const summary = await runImport({ from: 'csv', input: csvFile(), map, dryRun: true }, { now: () => now });
    expect(summary).toMatchObject({ read: 6, valid: 4, rejected: 2 });
  });

  it('sends batches, retries a 429 after Retry-After, and adds the server’s rejections to the rejects file', async () => {
    const api = fakeApi({ throttleFirst: true, serverRejects: '6' });
    const rejectsFile = join(mkdtempSync(join(tmpdir(), 'rejects-')), 'out.jsonl');
    const progress: string[] = [];
    const summary = await runImport(
      {
        from: 'csv',
        input: csvFile(),
        map,
        api: 'http://cxloop.test/',
        key: 'k',
        survey: 'srv_1',
        rejects: rejectsFile,
        batchSize: 1,
      },
      { fetch: api.fetch, now: () => now, progress: { isTTY: false, write: (text) => progress.push(text) } },
    );
    expect(summary).toMatchObject({ read: 6, valid: 2, imported: 1, duplicates: 0, rejected: 5, dryRun: false });
    const posts = api.requests.filter((request) => request.method === 'POST');
    // Two batches are in flight at once, so the retry of row 1 may go before or after row 6's batch.
    expect(
      posts
        .map((request) => [request.url, request.body?.source, request.body?.rows.map((row) => row.sourceId)])
        .sort((a, b) => String(a[2]).localeCompare(String(b[2]))),
    ).toEqual([
      ['http://cxloop.test/v1/surveys/srv_1/imports', 'csv', ['1']],
      ['http://cxloop.test/v1/surveys/srv_1/imports', 'csv', ['1']],
      ['http://cxloop.test/v1/surveys/srv_1/imports', 'csv', ['6']],
    ]);
    expect(rejects(rejectsFile).at(-1)).toEqual({
      file: 'answers.csv',
      line: 7,
      sourceId: '6',
      reason: 'erased',
      field: 'sourceId',
      message: 'erased',
    });
    expect(progress).toEqual([]);
  });

  it('waits as long as Retry-After says, else backs off exponentially with jitter', () => {
    expect(retryDelayMs(1, '3')).toBe(3000);
    expect(retryDelayMs(1, null, () => 1)).toBe(500);
    expect(retryDelayMs(3, null, () => 0)).toBe(1000);
    expect(retryDelayMs(20, null, () => 1)).toBe(30_000);
  });
});
