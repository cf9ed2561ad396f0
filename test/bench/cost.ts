/**
 * What a response costs in AWS: N widget answers with comments (RU/EN; about half promoters, a fifth passives, the
 * rest detractors; two in five from a proven respondent, so follow-up acts) go through the whole loop on the local
 * runtime (the synthesized app, in-memory DynamoDB Local) until it is idle, while the runtime meters every billable
 * operation. They arrive at the rate `--per-month` answers a month would (timers and arrivals compressed by
 * `--time-scale`), because batching depends on it. Prints the cost per 1M responses by AWS service, by cxloop
 * service and the top five line items; the stack's fixed monthly cost (Lambda's polls of empty queues) is shared by
 * the month's answers.
 *
 * Usage: npm run bench:cost [-- --responses 1000 --per-month 1000000 --time-scale 0.05]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { synthesizeApp } from '@cxloop/infra';
import { type CostBreakdown, startLocalRuntime } from '@cxloop/local-runtime';
import { generatedFeedback } from '../support/feedback-comments';
import { provenRespondent } from '../support/respondents';

const { values } = parseArgs({
  options: {
    responses: { type: 'string', default: '1000' },
    'per-month': { type: 'string', default: '1000000' },
    'time-scale': { type: 'string', default: '0.05' },
  },
});
const responses = Number(values.responses);
const perMonth = Number(values['per-month']);
const timeScale = Number(values['time-scale']);
const adminKey = 'bench-admin-key-0123456789abcdefghijkl';
const surveys = 5;

const outdir = mkdtempSync(join(tmpdir(), 'cxloop-bench-cost-'));
const synthesized = await synthesizeApp({ outdir: join(outdir, 'cdk.out') });
const runtime = await startLocalRuntime({
  assemblyDir: synthesized.assemblyDir,
  port: 0,
  secretValues: { [synthesized.adminKeySecretLogicalId]: adminKey },
  timeScale,
  log: () => {},
});

/**
 * A POST from one of 250 loopback addresses: answers come from many clients, and collection limits what one
 * address may send a minute.
 */
const post = (path: string, body: unknown, { admin = false, client = 1 } = {}) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = httpRequest(
      `${runtime.url}${path}`,
      {
        method: 'POST',
        localAddress: `127.0.${1 + Math.floor(client / 250)}.${1 + (client % 250)}`,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(admin ? { authorization: `Bearer ${adminKey}` } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });

try {
  const created = await Promise.all(
    Array.from({ length: surveys }, async (_, index) => {
      const response = await post('/v1/surveys', { name: `Delivery NPS ${index + 1}`, type: 'nps' }, { admin: true });
      return JSON.parse(response.body) as { id: string; identitySecret: string };
    }),
  );
  await runtime.idle(120_000);
  runtime.meter.reset();

  const secondsBetween = (30 * 24 * 3600) / perMonth;
  const started = performance.now();
  const statuses = new Map<number, number>();
  const sent: Array<Promise<void>> = [];
  for (let index = 0; index < responses; index++) {
    const survey = created[index % surveys] as (typeof created)[number];
    const { score, comment, locale } = generatedFeedback(index);
    const respondent =
      index % 5 < 2
        ? {
            respondent: provenRespondent(survey.identitySecret, {
              id: `u${index}`,
              email: `u${index}@example.com`,
              locale,
            }),
          }
        : {};
    sent.push(
      post(
        `/v1/surveys/${survey.id}/responses`,
        { responseId: `bench-${index + 1000000}`, score, comment, locale, ...respondent },
        { client: index % 250 },
      ).then((response) => {
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }),
    );
    const due = started + (index + 1) * secondsBetween * timeScale * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await Promise.all(sent);
  await runtime.idle(600_000);
  const seconds = (performance.now() - started) / 1000;
  const report = runtime.meter.report();

  const perMillion = 1_000_000 / responses;
  const monthlyShare = 1_000_000 / perMonth;
  const scaled = (usage: number, monthly = 0) => usage * perMillion + monthly * monthlyShare;
  const merged = (pick: (breakdown: CostBreakdown) => Record<string, number>) => {
    const keys = new Set([...Object.keys(pick(report)), ...Object.keys(pick(report.monthly))]);
    return Object.fromEntries(
      [...keys]
        .map((key) => [key, scaled(pick(report)[key] ?? 0, pick(report.monthly)[key] ?? 0)] as const)
        .sort(([, a], [, b]) => b - a)
        .map(([key, usd]) => [key, { 'USD per 1M responses': usd.toFixed(2) }]),
    );
  };
  const polledQueues = Object.keys(report.monthly.byFunction).length;
  const items = new Map<string, { quantity: number; usd: number }>();
  for (const [breakdown, factor] of [
    [report, perMillion],
    [report.monthly, monthlyShare],
  ] as const) {
    for (const line of breakdown.lineItems) {
      const label =
        breakdown === report.monthly
          ? `${line.description}: empty long polls of ${polledQueues} queues`
          : line.description;
      const entry = items.get(label) ?? { quantity: 0, usd: 0 };
      items.set(label, { quantity: entry.quantity + line.quantity * factor, usd: entry.usd + line.usd * factor });
    }
  }
  const total = scaled(report.usd, report.monthly.usd);

  console.log(
    `${responses} responses (HTTP ${[...statuses].map(([status, count]) => `${status}: ${count}`).join(', ')}) in ${seconds.toFixed(0)} s, arriving as ${perMonth.toLocaleString('en')} a month would`,
  );
  console.log('\nBy AWS service');
  console.table(merged((breakdown) => breakdown.byAwsService));
  console.log('By cxloop service');
  console.table(merged((breakdown) => breakdown.byCxloopService));
  console.log('Top five functions');
  console.table(
    Object.fromEntries(
      Object.entries(report.byFunction)
        .sort(([, a], [, b]) => b.usd - a.usd)
        .slice(0, 5)
        .map(([name, usage]) => [
          name,
          Object.fromEntries(
            usage.lineItems.slice(0, 3).map((line) => [line.item, (line.usd * perMillion).toFixed(2)]),
          ),
        ]),
    ),
  );
  console.log('Top five line items');
  console.table(
    Object.fromEntries(
      [...items]
        .sort(([, a], [, b]) => b.usd - a.usd)
        .slice(0, 5)
        .map(([label, { quantity, usd }]) => [
          label,
          { 'per 1M responses': Number(quantity.toPrecision(4)), USD: usd.toFixed(2) },
        ]),
    ),
  );
  console.log(`cost per 1M responses: $${total.toFixed(2)}`);
} finally {
  await runtime.stop();
  rmSync(outdir, { recursive: true, force: true });
}
