import { beforeAll, describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import type { FeedbackRecord } from '../src/domain/feedback-record';
import { histogramFromScores, metricsFor, npsMetrics, toDelightedMetrics } from '../src/domain/metrics';
import { SelectionError } from '../src/domain/selection';
import { surveyConfigSchema } from '../src/domain/survey-config';
import { type AggregationStores, aggregationStores } from '../src/store';
import { countFeedback } from '../src/use-cases/count-feedback';
import { delightedMetrics, type MetricsQuery, queryDrivers, queryMetrics } from '../src/use-cases/query-metrics';
import { npsRecord, topic } from './support';

/** November 2026 in Moscow (UTC+3 all year): a detractor-heavy first half, a promoter-heavy second half. */
const responses: FeedbackRecord[] = Array.from({ length: 120 }, (_, index) => {
  const day = 1 + (index % 30);
  const score = day <= 15 ? [0, 3, 6, 7, 9][index % 5]! : [9, 10, 10, 8, 6][index % 5]!;
  return npsRecord({
    feedbackId: `fb_${String(index).padStart(4, '0')}`,
    score,
    occurredAt: `2026-11-${String(day).padStart(2, '0')}T${String(index % 24).padStart(2, '0')}:30:00+03:00`,
    channel: index % 3 === 0 ? 'email' : 'web',
    attributes: { plan: index % 4 === 0 ? 'pro' : 'free' },
    topics: index % 2 === 0 ? [topic('delivery')] : [],
  });
});

const scoresOf = (selected: FeedbackRecord[]) => selected.map((record) => record.score!);

let stores: AggregationStores;
const query = (overrides: Partial<MetricsQuery>) =>
  queryMetrics(stores, { surveyId: 'srv_1', filter: {}, confidence: 0.95, ...overrides });

beforeAll(async () => {
  const { db, tableName } = await createServiceTable('aggregation');
  stores = aggregationStores(db, tableName);
  await stores.surveys.putConfig(
    'srv_1',
    surveyConfigSchema.parse({ segmentKeys: ['plan'], combinations: [['channel', 'plan']] }),
    { recount: true, applyNow: true },
  );
  await countFeedback(stores, responses);
});

describe('queryMetrics', () => {
  it('keeps the v1 answer: the whole range, with NPS and its margin of error', async () => {
    const answer = await query({});
    expect(answer).toMatchObject({
      surveyId: 'srv_1',
      from: '0000-01-01',
      to: '9999-12-31',
      responses: 120,
      ...npsMetrics(histogramFromScores('nps', scoresOf(responses))),
      previous: null,
      comparison: null,
    });
  });

  it('gives daily, weekly and monthly points in the survey time zone', async () => {
    const daily = await query({ from: '2026-11-01', to: '2026-11-30', interval: 'day' });
    expect(daily.points).toHaveLength(30);
    expect(daily.points![0]).toMatchObject({
      bucket: '2026-11-01',
      start: '2026-10-31T21:00:00.000Z',
      ...metricsFor('nps', histogramFromScores('nps', scoresOf(responses.filter((_, index) => index % 30 === 0)))),
    });
    const weekly = await query({ from: '2026-11-01', to: '2026-11-30', interval: 'week' });
    expect(weekly.points!.map((point) => [point.bucket, point.responses])).toEqual([
      ['2026-W44', 4],
      ['2026-W45', 28],
      ['2026-W46', 28],
      ['2026-W47', 28],
      ['2026-W48', 28],
      ['2026-W49', 4],
    ]);
    const monthly = await query({ from: '2026-10-15', to: '2026-11-30', interval: 'month' });
    expect(monthly.points!.map((point) => [point.bucket, point.responses, point.start])).toEqual([
      ['2026-10', 0, '2026-10-14T21:00:00.000Z'],
      ['2026-11', 120, '2026-10-31T21:00:00.000Z'],
    ]);
  });

  it('compares a period with the one before and flags a significant change', async () => {
    const second = await query({ from: '2026-11-16', to: '2026-11-30' });
    const firstHalf = responses.filter((record) => record.occurredAt < '2026-11-16');
    expect(second.previous).toMatchObject({
      from: '2026-11-01',
      to: '2026-11-15',
      ...npsMetrics(histogramFromScores('nps', scoresOf(firstHalf))),
    });
    expect(second.comparison).toMatchObject({ metric: 'nps', significant: true });
    expect(second.comparison!.delta).toBeGreaterThan(50);
  });

  it('groups by a dimension and filters through a configured pair', async () => {
    const byChannel = await query({ groupBy: 'channel', filter: { plan: 'pro' } });
    const pro = responses.filter((record) => record.attributes.plan === 'pro');
    expect(byChannel.responses).toBe(pro.length);
    expect(byChannel.groups!.map((group) => [group.value, group.responses])).toEqual([
      ['web', pro.filter((record) => record.channel === 'web').length],
      ['email', pro.filter((record) => record.channel === 'email').length],
    ]);
    const topics = await query({ groupBy: 'topic' });
    expect(topics.groups!.map((group) => [group.value, group.responses])).toEqual([
      ['(none)', 60],
      ['delivery', 60],
    ]);
  });

  it('refuses what no cell answers, naming the parameter', async () => {
    await expect(query({ groupBy: 'topic', filter: { plan: 'pro' } })).rejects.toMatchObject({
      field: 'query.groupBy',
    });
    await expect(query({ interval: 'day' })).rejects.toMatchObject({ field: 'query.from' });
    await expect(query({ from: '2026-02-30', to: '2026-03-01' })).rejects.toMatchObject({ field: 'query.from' });
    await expect(query({ from: '2026-11-02', to: '2026-11-01' })).rejects.toMatchObject({ field: 'query.to' });
    await expect(query({ from: '2026-11-01', to: '2026-12-15', interval: 'hour' })).rejects.toBeInstanceOf(
      SelectionError,
    );
  });

  it('gives hourly points for the whole survey', async () => {
    const hourly = await query({ from: '2026-11-01', to: '2026-11-01', interval: 'hour' });
    expect(hourly.points).toHaveLength(24);
    expect(hourly.points!.filter((point) => point.responses > 0).map((point) => point.bucket)).toEqual([
      '2026-11-01T00',
      '2026-11-01T06',
      '2026-11-01T12',
      '2026-11-01T18',
    ]);
  });
});

describe('delightedMetrics', () => {
  it('counts exactly the responses between since and until, to the hour', async () => {
    const since = new Date('2026-11-03T05:00:00+03:00');
    const until = new Date('2026-11-10T13:59:59+03:00');
    const inside = responses.filter((record) => {
      const at = Date.parse(record.occurredAt);
      return at >= since.getTime() && at <= until.getTime();
    });
    const answer = await delightedMetrics(stores, { surveyId: 'srv_1', since, until }, new Date('2026-12-01'));
    expect(answer).toEqual(toDelightedMetrics(histogramFromScores('nps', scoresOf(inside))));
  });

  it('filters by a trend (dimension:value) over whole days', async () => {
    const answer = await delightedMetrics(stores, { surveyId: 'srv_1', trend: 'plan:pro' }, new Date('2026-12-01'));
    const pro = responses.filter((record) => record.attributes.plan === 'pro');
    expect(answer).toEqual(toDelightedMetrics(histogramFromScores('nps', scoresOf(pro))));
  });
});

describe('queryDrivers', () => {
  it('finds the topic that costs the most points, from the same cells as the metrics', async () => {
    const answer = await queryDrivers(stores, { surveyId: 'srv_1', filter: {}, confidence: 0.95 });
    const delivery = responses.filter((record) => record.topics.length > 0);
    expect(answer).toMatchObject({ surveyId: 'srv_1', scale: 'nps', n: 120 });
    expect(answer.topics[0]).toMatchObject({
      id: 'delivery',
      n: delivery.length,
      score: npsMetrics(histogramFromScores('nps', scoresOf(delivery))).nps,
    });
    const detractors = delivery.filter((record) => record.score! <= 6).length;
    expect(answer.topics[0]!.pointsAtStake).toBeCloseTo((100 * detractors) / 120, 10);
    expect(answer.intents).toEqual([]);
  });

  it('names the missing segment × topic combination when asked for a segment', async () => {
    await expect(
      queryDrivers(stores, { surveyId: 'srv_1', filter: { plan: 'pro' }, confidence: 0.95 }),
    ).rejects.toBeInstanceOf(SelectionError);
  });
});
