import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { OTHER_VALUE } from '../src/domain/counting';
import { histogramFromScores } from '../src/domain/metrics';
import { surveyConfigSchema } from '../src/domain/survey-config';
import { aggregationStores } from '../src/store';
import { countFeedback } from '../src/use-cases/count-feedback';
import { queryMetrics } from '../src/use-cases/query-metrics';
import { npsRecord, topic } from './support';

async function setUp() {
  const { db, tableName } = await createServiceTable('aggregation');
  const stores = aggregationStores(db, tableName);
  const metrics = (query: Partial<Parameters<typeof queryMetrics>[1]> = {}) =>
    queryMetrics(stores, { surveyId: 'srv_1', filter: {}, confidence: 0.95, ...query });
  return { db, tableName, stores, metrics };
}

describe('countFeedback against DynamoDB Local', () => {
  it('counts a version once, however often it is delivered, within a batch or across batches', async () => {
    const { stores, metrics } = await setUp();
    const first = await countFeedback(stores, [
      npsRecord({ feedbackId: 'fb_1', score: 3 }),
      npsRecord({ feedbackId: 'fb_1', score: 3 }),
    ]);
    expect(first.outcomes.sort()).toEqual(['counted', 'ignored']);
    expect(first.changedSurveys).toEqual(new Set(['srv_1']));
    expect((await countFeedback(stores, [npsRecord({ feedbackId: 'fb_1', score: 3 })])).outcomes).toEqual(['ignored']);
    expect((await metrics()).histogram).toEqual(histogramFromScores('nps', [3]));
  });

  it('moves a changed score and day to their new cells and ignores an older revision arriving late', async () => {
    const { stores, metrics } = await setUp();
    await countFeedback(stores, [npsRecord({ feedbackId: 'fb_1', score: 3 })]);
    await countFeedback(stores, [
      npsRecord({ feedbackId: 'fb_1', revision: 3, score: 10, occurredAt: '2026-11-22T10:00:00.000Z' }),
    ]);
    await countFeedback(stores, [npsRecord({ feedbackId: 'fb_1', revision: 2, score: 6 })]);
    const answer = await metrics({ from: '2026-11-19', to: '2026-11-23', interval: 'day' });
    expect(answer.histogram).toEqual(histogramFromScores('nps', [10]));
    expect(answer.points!.map((point) => point.responses)).toEqual([0, 0, 0, 1, 0]);
  });

  it('moves a response between topics when its revision is re-categorised, the later categorisation winning', async () => {
    const { stores, metrics } = await setUp();
    const base = { feedbackId: 'fb_1', score: 9 };
    await countFeedback(stores, [npsRecord({ ...base, topics: [topic('delivery')] })]);
    await countFeedback(stores, [
      npsRecord({ ...base, topics: [topic('support')], categorisedAt: '2026-11-21T00:00:00.000Z' }),
    ]);
    await countFeedback(stores, [
      npsRecord({ ...base, topics: [topic('price')], categorisedAt: '2026-11-20T12:00:00.000Z' }),
    ]);
    const groups = (await metrics({ groupBy: 'topic' })).groups!;
    expect(groups.map((group) => [group.value, group.responses])).toEqual([['support', 1]]);
  });

  it("buckets by day in the survey's time zone", async () => {
    const { stores, metrics } = await setUp();
    // 22:30 UTC on the 20th is already the 21st in Moscow (UTC+3).
    await countFeedback(stores, [npsRecord({ feedbackId: 'fb_1', score: 9, occurredAt: '2026-11-20T22:30:00Z' })]);
    const answer = await metrics({ from: '2026-11-20', to: '2026-11-21', interval: 'day' });
    expect(answer.timeZone).toBe('Europe/Moscow');
    expect(answer.points!.map((point) => [point.bucket, point.responses])).toEqual([
      ['2026-11-20', 0],
      ['2026-11-21', 1],
    ]);
  });

  it('splits a batch that does not fit one transaction and still counts each response once', async () => {
    const { stores, metrics } = await setUp();
    const records = Array.from({ length: 150 }, (_, index) =>
      npsRecord({
        feedbackId: `fb_${index}`,
        score: index % 11,
        occurredAt: new Date(Date.UTC(2026, 9, 1 + (index % 40), 12)).toISOString(),
        channel: ['web', 'email', 'sms'][index % 3]!,
      }),
    );
    const { outcomes } = await countFeedback(stores, records);
    expect(outcomes.every((outcome) => outcome === 'counted')).toBe(true);
    expect((await countFeedback(stores, records)).outcomes.every((outcome) => outcome === 'ignored')).toBe(true);
    const answer = await metrics({ groupBy: 'channel' });
    expect(answer.histogram).toEqual(
      histogramFromScores(
        'nps',
        records.map((record) => record.score!),
      ),
    );
    expect(answer.groups!.map((group) => group.responses)).toEqual([50, 50, 50]);
  });

  it('counts values beyond a cell’s capacity as (other), and moves them out exactly', async () => {
    const { stores, metrics } = await setUp();
    await stores.surveys.putConfig('srv_1', surveyConfigSchema.parse({ segmentKeys: ['customer'], alertRules: [] }), {
      recount: true,
      applyNow: true,
    });
    const records = Array.from({ length: 105 }, (_, index) =>
      npsRecord({
        feedbackId: `fb_${String(index).padStart(3, '0')}`,
        score: 9,
        attributes: { customer: `c${index}` },
      }),
    );
    await countFeedback(stores, records);
    const groups = (await metrics({ groupBy: 'customer' })).groups!;
    expect(groups).toHaveLength(101);
    expect(groups.find((group) => group.value === OTHER_VALUE)?.responses).toBe(5);
    const overflowed = records.at(-1)!;
    await countFeedback(stores, [{ ...overflowed, revision: 2, score: 0 }]);
    const after = await metrics({ groupBy: 'customer' });
    expect(after.groups!.find((group) => group.value === OTHER_VALUE)?.histogram[9]).toBe(4);
    expect(after.histogram[0]).toBe(1);
  });

  it('fails only the response DynamoDB refuses, and counts the rest of its batch', async () => {
    const { stores, metrics } = await setUp();
    const oversized = npsRecord({ feedbackId: 'fb_big', score: 0, text: 'x'.repeat(450_000) });
    const batch = [
      npsRecord({ feedbackId: 'fb_1', score: 9 }),
      oversized,
      npsRecord({ feedbackId: 'fb_2', score: 10 }),
    ];
    const { outcomes } = await countFeedback({ ...stores, pause: async () => {} }, batch);
    expect(outcomes[0]).toBe('counted');
    expect(outcomes[1]).toBeInstanceOf(Error);
    expect(outcomes[2]).toBe('counted');
    expect((await metrics()).histogram).toEqual(histogramFromScores('nps', [9, 10]));
  });

  it('keeps concurrent batches of one survey exact', async () => {
    const { stores, metrics } = await setUp();
    const batches = [0, 1, 2, 3].map((batch) =>
      Array.from({ length: 20 }, (_, index) =>
        npsRecord({ feedbackId: `fb_${batch}_${index}`, score: (batch + index) % 11 }),
      ),
    );
    await Promise.all(batches.map((batch) => countFeedback({ ...stores, pause: async () => {} }, batch)));
    expect((await metrics()).responses).toBe(80);
  });

  it('keeps feedback without a survey or a score for the explorer without counting it', async () => {
    const { stores, metrics } = await setUp();
    const review = npsRecord({ feedbackId: 'fb_review', score: 4, kind: 'review', surveyId: undefined });
    const result = await countFeedback(stores, [review]);
    expect(result.outcomes).toEqual(['counted']);
    expect(result.changedSurveys.size).toBe(0);
    expect((await stores.feedback.list({}, 10)).records.map((record) => record.feedbackId)).toEqual(['fb_review']);
    expect((await metrics()).responses).toBe(0);
  });
});
