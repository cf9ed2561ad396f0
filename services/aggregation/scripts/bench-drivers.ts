/**
 * `npm run bench:drivers`: driver analysis and the scheduled segment watch on a survey of 100,000 synthetic responses
 * over two weeks, against DynamoDB Local.
 *
 * The survey has 51 accounts (segment key `account`, with account × topic and account × intent counted). In the last seven days one planted
 * account's customers complain about delivery: a share of its answers gains the topic and turns detractor. Every other
 * account keeps the same distribution in both weeks. The benchmark prints the time of the drivers query (the whole
 * survey and the planted account), the time of one scheduled evaluation over every account, whether delivery and the
 * planted account come out first, and how many of the 50 unplanted accounts raise an alert (false alarms).
 *
 * Usage: npm run bench:drivers [-- --responses 100000 --plant-share 0.3 --runs 20]
 */
import type { EventToPublish } from '@cxloop/lambda-kit';
import type { FeedbackRecord } from '../src/domain/feedback-record';
import { surveyConfigSchema } from '../src/domain/survey-config';
import { aggregationStores } from '../src/store';
import { queryDrivers } from '../src/use-cases/query-metrics';
import { watchSurvey } from '../src/use-cases/watch-segments';
import { argumentsOf, createAggregationTable, localDynamo } from './local-table';
import { seedResponses } from './seed';
import { randomSource, syntheticResponses } from './synthetic';

const args = argumentsOf(process.argv.slice(2));
const responses = Number(args.get('responses') ?? 100_000);
const plantShare = Number(args.get('plant-share') ?? 0.3);
const runs = Number(args.get('runs') ?? 20);

const surveyId = 'srv_drivers';
const now = new Date('2026-11-20T12:00:00Z');
const day = 86_400_000;
const accounts = Array.from({ length: 51 }, (_, index) => `acct_${String(index).padStart(2, '0')}`);
const planted = { account: 'acct_07', topic: 'delivery' };
const config = surveyConfigSchema.parse({
  segmentKeys: ['account'],
  combinations: [
    ['account', 'topic'],
    ['account', 'intent'],
  ],
});

/** The synthetic stream with an account on each answer, and the planted complaint in the planted account's last week. */
function* plantedResponses(): Generator<FeedbackRecord> {
  const random = randomSource(7);
  const currentWeek = now.getTime() - 7 * day;
  for (const record of syntheticResponses({
    surveyId,
    count: responses,
    start: new Date(now.getTime() - 14 * day),
    days: 14,
  })) {
    const account = accounts[random.integer(0, accounts.length - 1)]!;
    const withAccount = { ...record, attributes: { ...record.attributes, account } };
    const plant =
      account === planted.account && Date.parse(record.occurredAt) >= currentWeek && random.next() < plantShare;
    if (!plant) {
      yield withAccount;
      continue;
    }
    const topics = withAccount.topics.some((topic) => topic.id === planted.topic)
      ? withAccount.topics
      : [...withAccount.topics, { id: planted.topic, score: 0.8, evidence: [] }];
    yield { ...withAccount, score: random.integer(0, 4), topics };
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dynamo = await localDynamo();
try {
  const tableName = `bench-drivers-${Date.now()}`;
  await createAggregationTable(dynamo.client, tableName);
  const seedStarted = performance.now();
  const seeded = await seedResponses(dynamo.db, tableName, plantedResponses(), {
    surveyId,
    config,
    timeZone: 'UTC',
    writeFeedbackItems: false,
  });
  console.log(
    `Seeded ${seeded.responses} responses (${seeded.cells} cells) in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s; ` +
      `planted: ${planted.topic} in ${planted.account}, ${Math.round(plantShare * 100)} % of its last week's answers`,
  );
  const stores = aggregationStores(dynamo.db, tableName);
  const published: EventToPublish[] = [];
  const deps = {
    ...stores,
    publish: async (events: readonly EventToPublish[]) => {
      published.push(...events);
    },
  };
  const lastWeek = { from: '2026-11-14', to: '2026-11-20', confidence: 0.95 };

  const timings = { survey: [] as number[], segment: [] as number[], watch: [] as number[] };
  let surveyDrivers: Awaited<ReturnType<typeof queryDrivers>> | undefined;
  let segmentDrivers: typeof surveyDrivers;
  let watch: Awaited<ReturnType<typeof watchSurvey>> | undefined;
  for (let run = -3; run < runs; run++) {
    let started = performance.now();
    surveyDrivers = await queryDrivers(stores, { surveyId, filter: {}, ...lastWeek });
    if (run >= 0) timings.survey.push(performance.now() - started);
    started = performance.now();
    segmentDrivers = await queryDrivers(stores, { surveyId, filter: { account: planted.account }, ...lastWeek });
    if (run >= 0) timings.segment.push(performance.now() - started);
    // Alerts are raised once (the first run publishes them); later runs time the hourly tick of an ongoing drop.
    started = performance.now();
    watch = await watchSurvey(deps, await stores.surveys.get(surveyId), now, { correlationId: `bench-${run}` });
    if (run >= 0) timings.watch.push(performance.now() - started);
  }

  const alerts = published
    .filter((event) => event.contract.detailType === 'MetricAlertRaised')
    .map(
      (event) =>
        event.data as { kind: string; segment?: { value: string }; qValue: number; drivers?: { id: string }[] },
    );
  const segmentAlerts = alerts.filter((alert) => alert.segment).sort((a, b) => a.qValue - b.qValue);
  const falseAlarmAccounts = new Set(
    segmentAlerts.map((alert) => alert.segment!.value).filter((account) => account !== planted.account),
  );
  const plantedAlert = segmentAlerts.find((alert) => alert.segment!.value === planted.account);
  const topOf = (answer: typeof surveyDrivers) => answer?.topics[0]?.id ?? '(none)';
  console.table({
    'drivers, whole survey (ms, median)': { value: median(timings.survey).toFixed(1) },
    [`drivers, ${planted.account} (ms, median)`]: { value: median(timings.segment).toFixed(1) },
    'segment watch, one survey (ms, median)': { value: median(timings.watch).toFixed(1) },
    'tests in one evaluation': { value: watch?.tested },
    [`top driver in ${planted.account}`]: { value: topOf(segmentDrivers) },
    'top driver, whole survey': { value: topOf(surveyDrivers) },
    'first segment alerted': { value: segmentAlerts[0]?.segment?.value ?? '(none)' },
    [`${planted.account}'s alert kinds`]: {
      value: [...new Set(segmentAlerts.filter((a) => a.segment!.value === planted.account).map((a) => a.kind))].join(
        ', ',
      ),
    },
    [`${planted.account}'s first alert driver`]: { value: plantedAlert?.drivers?.[0]?.id ?? '(none)' },
    'false alarms among 50 unplanted accounts': { value: falseAlarmAccounts.size },
  });
  const found =
    topOf(segmentDrivers) === planted.topic &&
    segmentAlerts[0]?.segment?.value === planted.account &&
    plantedAlert?.drivers?.[0]?.id === planted.topic;
  console.log(
    found ? 'The planted topic and account come out first.' : 'The planted topic or account was NOT found first.',
  );
  if (!found) process.exitCode = 1;
} finally {
  dynamo.stop();
}
