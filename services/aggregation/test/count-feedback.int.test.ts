import type { Feedback } from '@cxloop/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { ALL_RESPONSES } from '../src/domain/cells';
import { histogramFromScores } from '../src/domain/metrics';
import { aggregateStore } from '../src/store/aggregates';
import { countFeedback } from '../src/use-cases/count-feedback';

function feedback(feedbackId: string, revision: number, score: number, occurredAt = '2026-11-20T10:00:00Z'): Feedback {
  return {
    feedbackId,
    revision,
    surveyId: 'srv_1',
    timeZone: 'Europe/Moscow',
    source: 'widget',
    channel: 'web',
    kind: 'nps',
    score: { value: score, min: 0, max: 10, normalised: score / 10 },
    answers: [],
    respondent: { verified: false },
    attributes: {},
    externalIds: {},
    links: [],
    occurredAt,
    receivedAt: occurredAt,
  };
}

async function histogramOf(store: ReturnType<typeof aggregateStore>) {
  const days = await store.dayHistograms('srv_1', ALL_RESPONSES, '2026-01-01', '2026-12-31');
  return store.merge(
    'nps',
    days.map((day) => day.histogram),
  );
}

describe('countFeedback against DynamoDB Local', () => {
  it('counts a revision once, however often it is delivered', async () => {
    const { db, tableName } = await createServiceTable('aggregation');
    const store = aggregateStore(db, tableName);
    expect(await countFeedback(store, feedback('fb_1', 1, 3))).toBe('counted');
    expect(await countFeedback(store, feedback('fb_1', 1, 3))).toBe('ignored');
    expect(await histogramOf(store)).toEqual(histogramFromScores('nps', [3]));
  });

  it('moves a changed score to its new cell and ignores the older revision arriving late', async () => {
    const { db, tableName } = await createServiceTable('aggregation');
    const store = aggregateStore(db, tableName);
    await countFeedback(store, feedback('fb_1', 1, 3));
    await countFeedback(store, feedback('fb_1', 3, 10));
    await countFeedback(store, feedback('fb_1', 2, 6));
    expect(await histogramOf(store)).toEqual(histogramFromScores('nps', [10]));
  });

  it('buckets by day in the survey time zone', async () => {
    const { db, tableName } = await createServiceTable('aggregation');
    const store = aggregateStore(db, tableName);
    // 22:30 UTC on the 20th is already the 21st in Moscow (UTC+3).
    await countFeedback(store, feedback('fb_1', 1, 9, '2026-11-20T22:30:00Z'));
    const days = await store.dayHistograms('srv_1', ALL_RESPONSES, '2026-11-01', '2026-11-30');
    expect(days.map((day) => day.day)).toEqual(['2026-11-21']);
  });

  it('equals the histogram of the unique final responses for any stream of duplicates, reorderings and updates', async () => {
    const revisionStream = fc
      .array(
        fc.record({
          feedback: fc.integer({ min: 1, max: 6 }),
          revision: fc.integer({ min: 1, max: 4 }),
          score: fc.integer({ min: 0, max: 10 }),
        }),
        { minLength: 1, maxLength: 25 },
      )
      // One score per (feedback, revision): a revision is immutable, deliveries of it are copies.
      .map((deliveries) => {
        const scoreOf = new Map<string, number>();
        return deliveries.map((delivery) => {
          const key = `${delivery.feedback}#${delivery.revision}`;
          if (!scoreOf.has(key)) scoreOf.set(key, delivery.score);
          return { ...delivery, score: scoreOf.get(key)! };
        });
      });

    await fc.assert(
      fc.asyncProperty(revisionStream, async (deliveries) => {
        const { db, tableName } = await createServiceTable('aggregation');
        const store = aggregateStore(db, tableName);
        for (const delivery of deliveries) {
          await countFeedback(store, feedback(`fb_${delivery.feedback}`, delivery.revision, delivery.score));
        }
        const latest = new Map<number, { revision: number; score: number }>();
        for (const delivery of deliveries) {
          const current = latest.get(delivery.feedback);
          if (!current || delivery.revision > current.revision) latest.set(delivery.feedback, delivery);
        }
        const expected = histogramFromScores(
          'nps',
          [...latest.values()].map((entry) => entry.score),
        );
        expect(await histogramOf(store)).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  });
});
