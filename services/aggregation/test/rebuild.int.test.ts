import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import type { FeedbackRecord } from '../src/domain/feedback-record';
import { histogramFromScores } from '../src/domain/metrics';
import { defaultSurveyConfig, surveyConfigSchema } from '../src/domain/survey-config';
import { aggregationStores, type Commit } from '../src/store';
import { configureSurvey } from '../src/use-cases/configure-survey';
import { countFeedback } from '../src/use-cases/count-feedback';
import { queryMetrics } from '../src/use-cases/query-metrics';
import { continueRebuild, rebuildProgress, startRebuild } from '../src/use-cases/rebuild';
import { npsRecord } from './support';

const plans = ['free', 'pro', 'enterprise'];
const response = (index: number, overrides: Partial<FeedbackRecord> = {}) =>
  npsRecord({
    feedbackId: `fb_${String(index).padStart(4, '0')}`,
    score: index % 11,
    occurredAt: new Date(Date.UTC(2026, 10, 1 + (index % 28), 12)).toISOString(),
    attributes: { plan: plans[index % 3]! },
    ...overrides,
  });

async function setUp() {
  const { db, tableName } = await createServiceTable('aggregation');
  const stores = aggregationStores(db, tableName);
  const deps = { ...stores, pause: async () => {} };
  const latest = new Map<string, FeedbackRecord>();
  const live = async (records: FeedbackRecord[]) => {
    await countFeedback(deps, records);
    for (const record of records) {
      const current = latest.get(record.feedbackId);
      if (!current || record.revision > current.revision) latest.set(record.feedbackId, record);
    }
  };
  /** The API's figures by plan must be those of the unique final responses. */
  const expectExactByPlan = async () => {
    const answer = await queryMetrics(stores, { surveyId: 'srv_1', filter: {}, confidence: 0.95, groupBy: 'plan' });
    const finals = [...latest.values()];
    expect(answer.histogram).toEqual(
      histogramFromScores(
        'nps',
        finals.map((record) => record.score!),
      ),
    );
    expect(Object.fromEntries(answer.groups!.map((group) => [group.value, group.histogram]))).toEqual(
      Object.fromEntries(
        plans.map((plan) => [
          plan,
          histogramFromScores(
            'nps',
            finals.filter((record) => record.attributes.plan === plan).map((record) => record.score!),
          ),
        ]),
      ),
    );
  };
  return { stores, deps, live, expectExactByPlan };
}

const withPlan = surveyConfigSchema.parse({ segmentKeys: ['plan'] });

describe('rebuild', () => {
  it('recounts stored feedback under a new configuration while live traffic goes on, without double counting', async () => {
    const { stores, deps, live, expectExactByPlan } = await setUp();
    await live(Array.from({ length: 120 }, (_, index) => response(index)));
    const settings = await configureSurvey(stores.surveys, 'srv_1', withPlan);
    expect(settings.rebuildRecommended).toBe(true);

    const job = await startRebuild(deps, 'srv_1', new Date('2026-12-01T00:00:00Z'));
    expect(rebuildProgress(job)).toMatchObject({ status: 'running', generation: 1, total: 120, percent: 0 });
    let steps = 0;
    let progress = await continueRebuild(deps, 'srv_1', () => false);
    expect(progress).toMatchObject({ more: true, job: { processed: 50 } });

    // Live traffic during the rebuild: new responses, updates of scanned and not yet scanned ones, duplicates.
    await live([
      response(200),
      response(201),
      response(5, { revision: 2, score: 10 }),
      response(110, { revision: 2, score: 0 }),
    ]);
    await live([response(110, { revision: 2, score: 0 }), response(3)]);
    while (progress.more) {
      progress = await continueRebuild(deps, 'srv_1', () => false);
      await live([response(300 + steps), response(60 + steps, { revision: 3, score: 7 })]);
      steps++;
    }
    expect(rebuildProgress(progress.job!)).toMatchObject({ status: 'done', percent: 100 });
    // Responses added during the scan are read too when their keys sort after its position.
    expect(progress.job!.processed).toBeGreaterThanOrEqual(120);
    expect((await stores.surveys.get('srv_1')).activeGeneration).toBe(1);
    await expectExactByPlan();

    await live([response(400), response(7, { revision: 2, score: 2 })]);
    await expectExactByPlan();
    expect((await configureSurvey(stores.surveys, 'srv_1', withPlan)).rebuildRecommended).toBe(false);
  });

  it('is idempotent: a second start while running returns the running job, a finished one can run again', async () => {
    const { stores, deps, live, expectExactByPlan } = await setUp();
    await live(Array.from({ length: 30 }, (_, index) => response(index)));
    await stores.surveys.putConfig('srv_1', withPlan, { recount: true, applyNow: false });
    const first = await startRebuild(deps, 'srv_1', new Date());
    expect((await startRebuild(deps, 'srv_1', new Date())).jobId).toBe(first.jobId);
    await Promise.all([continueRebuild(deps, 'srv_1', () => true), continueRebuild(deps, 'srv_1', () => true)]);
    await continueRebuild(deps, 'srv_1', () => true);
    await expectExactByPlan();
    const second = await startRebuild(deps, 'srv_1', new Date());
    expect(second.generation).toBe(2);
    await continueRebuild(deps, 'srv_1', () => true);
    await expectExactByPlan();
  });

  it('survives a crash in the middle of a page', async () => {
    const { stores, deps, live, expectExactByPlan } = await setUp();
    await live(Array.from({ length: 80 }, (_, index) => response(index)));
    await stores.surveys.putConfig('srv_1', withPlan, { recount: true, applyNow: false });
    await startRebuild(deps, 'srv_1', new Date());
    let writes = 0;
    const crashing: Commit = async (actions) => {
      if (writes++ === 1) throw new Error('crashed');
      await stores.commit(actions);
    };
    const healthy = { ...deps, commit: stores.commit };
    await expect(continueRebuild({ ...deps, commit: crashing }, 'srv_1', () => true)).rejects.toThrow('crashed');
    await live([response(3, { revision: 2, score: 10 })]);
    const { job } = await continueRebuild(healthy, 'srv_1', () => true);
    expect(job?.status).toBe('done');
    await expectExactByPlan();
  });

  it('refuses a survey it knows nothing about', async () => {
    const { deps } = await setUp();
    await expect(startRebuild(deps, 'srv_unknown', new Date())).rejects.toThrow('no feedback');
    expect(defaultSurveyConfig.segmentKeys).toEqual([]);
  });
});
