import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { type AggregationStores, aggregationStores } from '../src/store';
import { countFeedback } from '../src/use-cases/count-feedback';
import { type FeedbackQuery, listFeedback } from '../src/use-cases/list-feedback';
import { npsRecord } from './support';

let stores: AggregationStores;
const list = (query: Partial<FeedbackQuery>) => listFeedback(stores, { surveyId: 'srv_1', limit: 25, ...query });

const text = 'Доставка опоздала, курьер грубил';
const records = Array.from({ length: 40 }, (_, index) => {
  const occurredAt = new Date(Date.UTC(2026, 10, 1 + (index % 20), 9));
  return npsRecord({
    // Ids made when each piece was received, as the collection service makes them.
    feedbackId: `fb_${ulid(occurredAt.getTime() + 1000)}`,
    score: index % 11,
    occurredAt: occurredAt.toISOString(),
    text,
    sentiment: { label: index % 2 === 0 ? 'negative' : 'positive', score: 0 },
    topics: index % 4 === 0 ? [{ id: 'delivery', score: 0.9, evidence: [[0, 8]] }] : [],
    intents: index % 5 === 0 ? [{ id: 'complaint', score: 0.8, evidence: [[9, 17]] }] : [],
  });
});

beforeAll(async () => {
  const { db, tableName } = await createServiceTable('aggregation');
  stores = aggregationStores(db, tableName);
  await countFeedback(stores, records);
  // A later revision replaces the first: the explorer shows each piece of feedback once, as it is now.
  await countFeedback(stores, [{ ...records[0]!, revision: 2, text: 'Всё хорошо', score: 10 }]);
});

describe('listFeedback', () => {
  it('lists a survey’s feedback newest first, with the text each label’s evidence covers', async () => {
    const page = await list({ topic: 'delivery', limit: 3 });
    expect(page.items.map((item) => item.occurredAt)).toEqual([
      '2026-11-17T09:00:00.000Z',
      '2026-11-17T09:00:00.000Z',
      '2026-11-13T09:00:00.000Z',
    ]);
    expect(page.items[0]).toMatchObject({
      surveyId: 'srv_1',
      text,
      topics: [{ id: 'delivery', score: 0.9, evidence: [{ start: 0, end: 8, text: 'Доставка' }] }],
    });
  });

  it('filters by period, sentiment, intent and score range', async () => {
    const page = await list({ from: '2026-11-05', to: '2026-11-10', sentiment: 'negative', minScore: 4, maxScore: 8 });
    const expected = records.filter(
      (record, index) =>
        index !== 0 &&
        record.occurredAt >= '2026-11-05' &&
        record.occurredAt < '2026-11-11' &&
        record.sentiment.label === 'negative' &&
        record.score! >= 4 &&
        record.score! <= 8,
    );
    expect(page.items.map((item) => item.feedbackId).sort()).toEqual(
      expected.map((record) => record.feedbackId).sort(),
    );
    const complaints = await list({ intent: 'complaint', limit: 100 });
    expect(complaints.items).toHaveLength(records.filter((record) => record.intents.length > 0).length);
  });

  it('pages by cursor through every item once', async () => {
    const seen: string[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await list({ limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.feedbackId));
      cursor = page.next;
    } while (cursor);
    expect(seen.sort()).toEqual(records.map((record) => record.feedbackId).sort());
    const latest = (await list({ limit: 100 })).items.find((item) => item.feedbackId === records[0]!.feedbackId);
    expect(latest).toMatchObject({ revision: 2, text: 'Всё хорошо', score: 10 });
  });
});
