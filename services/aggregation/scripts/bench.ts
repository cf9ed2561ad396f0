/**
 * Aggregation benchmarks, against DynamoDB Local:
 *
 * 1. Write units per response, amortised over a stream with duplicates (5 %) and updates (10 %), counted by the real
 *    consumer code. DynamoDB Local reports one item's units per TransactWriteItems call, so units are computed from
 *    the items' sizes by AWS's rules (scripts/capacity.ts); Local's report is printed next to them.
 * 2. A 90-day daily trend (with the previous 90 days for the comparison) with 1k, 100k and 1M responses stored,
 *    timed in turns so that load on the machine hits all alike. Seeding a million responses takes DynamoDB Local about
 *    half an hour; with --db-path the seeded tables are kept on disk for later runs (writing to disk is slower).
 *
 * Usage: npm run bench:aggregation [-- --sizes 1000,100000,1000000 --stream 5000 --runs 40 --db-path DIR
 *        --skip-writes --skip-trend]
 */
import { mkdirSync } from 'node:fs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedbackRecord } from '../src/domain/feedback-record';
import { defaultSurveyConfig, type SurveyConfig, surveyConfigSchema } from '../src/domain/survey-config';
import { aggregationStores, feedbackItem } from '../src/store';
import { countFeedback } from '../src/use-cases/count-feedback';
import { queryMetrics } from '../src/use-cases/query-metrics';
import { itemSize, meteredCommit, writeUnits } from './capacity';
import { argumentsOf, createAggregationTable, type LocalDynamo, localDynamo } from './local-table';
import { seedResponses } from './seed';
import { liveDeliveries, syntheticResponses } from './synthetic';

const args = argumentsOf(process.argv.slice(2));
const dbPath = args.get('db-path');
const streamSize = Number(args.get('stream') ?? 5000);
const sizes = (args.get('sizes') ?? '1000,100000,1000000').split(',').map(Number);
const runs = Number(args.get('runs') ?? 40);

if (dbPath) mkdirSync(dbPath, { recursive: true });
const dynamo = await localDynamo(dbPath ? { dbPath } : {});

const segmentedConfig = surveyConfigSchema.parse({
  segmentKeys: ['plan', 'region'],
  combinations: [['channel', 'topic']],
});

interface Scenario {
  name: string;
  config: SurveyConfig;
  days: number;
  batchSize: number;
}

const scenarios: Scenario[] = [
  { name: 'live, default dimensions, SQS batches of 50', config: defaultSurveyConfig, days: 1, batchSize: 50 },
  { name: 'live, + plan, region, channel×topic', config: segmentedConfig, days: 1, batchSize: 50 },
  { name: 'live, default dimensions, one per transaction', config: defaultSurveyConfig, days: 1, batchSize: 1 },
  { name: 'backfill over a year, batches of 50', config: defaultSurveyConfig, days: 365, batchSize: 50 },
];

async function measureWrites(dynamo: LocalDynamo, scenario: Scenario) {
  const tableName = `bench-writes-${Date.now()}`;
  await createAggregationTable(dynamo.client, tableName);
  const stores = aggregationStores(dynamo.db, tableName);
  await stores.surveys.putConfig('srv_bench', scenario.config, { recount: true, applyNow: true });
  const meter = meteredCommit(dynamo.db, tableName);
  const deps = { ...stores, commit: meter.commit };
  const responses = syntheticResponses({
    surveyId: 'srv_bench',
    count: streamSize,
    days: scenario.days,
    start: new Date('2026-11-20T00:00:00Z'),
  });
  let batch: FeedbackRecord[] = [];
  let deliveries = 0;
  const started = performance.now();
  for (const record of liveDeliveries(responses)) {
    batch.push(record);
    deliveries++;
    if (batch.length === scenario.batchSize) {
      await countFeedback(deps, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await countFeedback(deps, batch);
  const seconds = (performance.now() - started) / 1000;
  const totals = meter.totals();
  return {
    scenario: scenario.name,
    'WCU / response': +(totals.units / streamSize).toFixed(2),
    'WCU / delivery': +(totals.units / deliveries).toFixed(2),
    'Local reports / response': +(totals.reported / streamSize).toFixed(2),
    'items / transaction': +(totals.actions / totals.transactions).toFixed(1),
    'responses / s': Math.round(deliveries / seconds),
  };
}

/** How the feedback items of a stream fall around the 1 KB step of write units. */
async function itemSizeProfile() {
  const records = [...syntheticResponses({ surveyId: 'srv_bench', count: 2000, days: 1, start: new Date() })];
  const sizes = records
    .map((record) =>
      itemSize(
        feedbackItem({
          record,
          seq: 2,
          counted: {
            '0': {
              scale: 'nps',
              score: record.score!,
              day: '2026-11-20',
              hour: '2026-11-20T10',
              entries: [
                'channel=web',
                'source=widget',
                'language=ru',
                'topic=delivery',
                'sentiment=negative',
                'intent=complaint',
              ],
            },
          },
        }),
      ),
    )
    .sort((a, b) => a - b);
  const share = sizes.filter((size) => writeUnits(size) > 1).length / sizes.length;
  return {
    median: sizes[Math.floor(sizes.length / 2)],
    p95: sizes[Math.floor(sizes.length * 0.95)],
    'share over 1 KB': `${(100 * share).toFixed(1)} %`,
  };
}

async function seededTable(count: number): Promise<string> {
  const tableName = `bench-trend-${count}`;
  const marker = { pk: 'BENCH', sk: 'seeded' };
  try {
    const found = await dynamo.db.send(new GetCommand({ TableName: tableName, Key: marker }));
    if (found.Item) return tableName;
  } catch {
    await createAggregationTable(dynamo.client, tableName);
  }
  console.log(`Seeding ${count} responses into ${tableName}${dbPath ? ` (kept in ${dbPath})` : ''}…`);
  const started = performance.now();
  await seedResponses(
    dynamo.db,
    tableName,
    syntheticResponses({ surveyId: 'srv_bench', count, days: 180, start: new Date('2026-06-03T00:00:00Z') }),
    { surveyId: 'srv_bench', onProgress: (written) => console.log(`  ${written} written`) },
  );
  await dynamo.db.send(new PutCommand({ TableName: tableName, Item: marker }));
  console.log(`  done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return tableName;
}

async function measureTrend() {
  const tables: string[] = [];
  for (const size of sizes) tables.push(await seededTable(size));
  const queries = {
    '90-day daily trend': { from: '2026-09-01', to: '2026-11-29', interval: 'day' as const },
    '90-day daily trend by channel': {
      from: '2026-09-01',
      to: '2026-11-29',
      interval: 'day' as const,
      groupBy: 'channel',
    },
  };
  const rows: Record<string, Record<string, number | string>> = {};
  for (const [name, query] of Object.entries(queries)) {
    const timings = tables.map(() => [] as number[]);
    let cellsRead = tables.map(() => 0);
    for (let run = -5; run < runs; run++) {
      for (const [index, tableName] of tables.entries()) {
        const stores = aggregationStores(dynamo.db, tableName);
        let read = 0;
        const cells = {
          ...stores.cells,
          range: async (...range: Parameters<typeof stores.cells.range>) => {
            const items = await stores.cells.range(...range);
            read += items.length;
            return items;
          },
        };
        const started = performance.now();
        const answer = await queryMetrics(
          { ...stores, cells },
          { surveyId: 'srv_bench', filter: {}, confidence: 0.95, ...query },
        );
        const elapsed = performance.now() - started;
        if (run >= 0) timings[index]!.push(elapsed);
        cellsRead = cellsRead.map((value, at) => (at === index ? read : value));
        if (answer.points?.length !== 90) throw new Error(`expected 90 points, got ${answer.points?.length}`);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const medians = timings.map(median);
    rows[name] = Object.fromEntries([
      ...sizes.map((size, index) => [`median ms, ${size} stored`, +medians[index]!.toFixed(1)]),
      ...sizes
        .slice(1)
        .map((size, index) => [`ratio ${size} / ${sizes[0]}`, +(medians[index + 1]! / medians[0]!).toFixed(2)]),
      ['cell items read (each)', cellsRead.join(' / ')],
    ]);
  }
  return rows;
}

try {
  if (!args.has('skip-writes')) {
    console.log(`Write units for a stream of ${streamSize} responses (+5 % duplicates, +10 % updates):`);
    const rows = [];
    for (const scenario of scenarios) rows.push(await measureWrites(dynamo, scenario));
    console.table(rows);
    console.log('Feedback item sizes in bytes (a transactional write costs 2 units per started KB):');
    console.table([await itemSizeProfile()]);
  }
  if (!args.has('skip-trend')) {
    console.log(`Trend query time, ${runs} alternating runs after 5 warm-ups:`);
    console.table(await measureTrend());
  }
} finally {
  dynamo.stop();
}
