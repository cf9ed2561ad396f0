/**
 * Fills an aggregation table with synthetic NPS responses for one survey, as if the consumer had counted them: the
 * feedback items and the cells, written with BatchWriteItem (the consumer's transactions would take hours for a
 * million responses on DynamoDB Local). The cells are summed by the same domain code the consumer uses, and a test
 * checks that seeding and counting give the same figures.
 *
 * Usage: npm run seed:aggregation -- --responses 100000 [--days 180] [--survey srv_seed] [--endpoint URL --table NAME]
 * Without --endpoint it starts its own DynamoDB Local (in memory, gone when the script ends: useful only for timing).
 */
import { type DynamoDBDocumentClient, NumberValue, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '@cxloop/lambda-kit';
import { CellDeltas, type Counted, countedOf, ValueBudget } from '../src/domain/counting';
import type { FeedbackRecord } from '../src/domain/feedback-record';
import { defaultSurveyConfig, type SurveyConfig } from '../src/domain/survey-config';
import { aggregationKeys, feedbackItem } from '../src/store';
import { argumentsOf, createAggregationTable, localDynamo } from './local-table';
import { syntheticResponses } from './synthetic';

export interface SeedOptions {
  surveyId: string;
  config?: SurveyConfig;
  timeZone?: string;
  onProgress?: (written: number) => void;
  /** False to write only the cells, for benchmarks that read figures and never a response. */
  writeFeedbackItems?: boolean;
}

const BATCH_WRITE_MAX = 25;
const PARALLEL_WRITES = 8;

/** Eight writers at once throttle a provisioned table: more, longer rounds than a request path would wait. */
const SEED_WRITE_RETRY = { maxRounds: 20, baseDelayMs: 50 };

/** Writes the responses (first versions only) and their cells to the survey's generation 0. */
export async function seedResponses(
  db: DynamoDBDocumentClient,
  tableName: string,
  responses: Iterable<FeedbackRecord>,
  options: SeedOptions,
): Promise<{ responses: number; cells: number }> {
  const config = options.config ?? defaultSurveyConfig;
  const timeZone = options.timeZone ?? 'Europe/Moscow';
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...aggregationKeys.survey(options.surveyId),
        ...(options.config ? { config, configVersion: 1, activeConfigVersion: 1 } : {}),
        timeZone,
        scales: new Set(['nps']),
        activeGeneration: 0,
        generationsVersion: 0,
      },
    }),
  );
  const budget = new ValueBudget(new Map());
  const deltas = new CellDeltas();
  let written = 0;
  let buffer: Record<string, unknown>[] = [];
  const inFlight = new Set<Promise<void>>();
  const flush = async (items: Record<string, unknown>[]) => {
    const write = batchWriteAll(db, tableName, items, SEED_WRITE_RETRY).then(() => {
      inFlight.delete(write);
    });
    inFlight.add(write);
    if (inFlight.size >= PARALLEL_WRITES) await Promise.race(inFlight);
  };
  for (const record of responses) {
    const target = countedOf(record, config, timeZone);
    const counted: Record<string, Counted> = {};
    if (target) {
      counted['0'] = budget.apply(target);
      deltas.add(counted['0'], 1);
    }
    if (options.writeFeedbackItems !== false) buffer.push(feedbackItem({ record, seq: 1, counted }));
    if (buffer.length === BATCH_WRITE_MAX) {
      await flush(buffer);
      buffer = [];
    }
    written++;
    if (written % 50_000 === 0) options.onProgress?.(written);
  }
  const cells = deltas.changes().map(({ key, deltas: counts }) => ({
    ...aggregationKeys.cell(options.surveyId, 0, key),
    ...Object.fromEntries([...counts].map(([attribute, packed]) => [attribute, NumberValue.from(packed.toString())])),
  }));
  if (buffer.length > 0) await flush(buffer);
  for (let start = 0; start < cells.length; start += BATCH_WRITE_MAX) {
    await flush(cells.slice(start, start + BATCH_WRITE_MAX));
  }
  await Promise.all(inFlight);
  return { responses: written, cells: cells.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = argumentsOf(process.argv.slice(2));
  const count = Number(args.get('responses') ?? 100_000);
  const days = Number(args.get('days') ?? 180);
  const surveyId = args.get('survey') ?? 'srv_seed';
  const dynamo = await localDynamo({ ...(args.has('endpoint') ? { endpoint: args.get('endpoint')! } : {}) });
  const tableName = args.get('table') ?? `aggregation-seed-${Date.now()}`;
  if (!args.has('table')) await createAggregationTable(dynamo.client, tableName);
  const started = performance.now();
  const end = new Date();
  const result = await seedResponses(
    dynamo.db,
    tableName,
    syntheticResponses({ surveyId, count, days, start: new Date(end.getTime() - days * 86_400_000) }),
    {
      surveyId,
      onProgress: (written) => console.log(`${written} responses written`),
    },
  );
  console.log(
    `Seeded ${result.responses} responses and ${result.cells} cells into ${tableName} at ${dynamo.endpoint} in ${(
      (performance.now() - started) / 1000
    ).toFixed(1)} s`,
  );
  dynamo.stop();
}
