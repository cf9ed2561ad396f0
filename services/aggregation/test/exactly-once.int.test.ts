import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import type { FeedbackRecord } from '../src/domain/feedback-record';
import { histogramFromScores, metricsFor } from '../src/domain/metrics';
import { aggregationStores, type Commit } from '../src/store';
import { countFeedback } from '../src/use-cases/count-feedback';
import { queryMetrics } from '../src/use-cases/query-metrics';
import { npsRecord, topic } from './support';

class Crash extends Error {}

/**
 * A commit that dies at a chosen write: `before` the k-th transaction or right `after` it committed. Once dead,
 * nothing more is written in that invocation, as when a Lambda crashes; the next invocation starts alive.
 */
function crashingCommit(commit: Commit, crashes: { at: number; when: 'before' | 'after' }[]) {
  let writes = 0;
  let dead = false;
  return {
    revive: () => {
      dead = false;
    },
    commit: (async (actions) => {
      if (dead) throw new Crash('process is down');
      const index = writes++;
      const crash = crashes.find((candidate) => candidate.at === index);
      if (crash?.when === 'before') {
        dead = true;
        throw new Crash(`crashed before write ${index}`);
      }
      await commit(actions);
      if (crash?.when === 'after') {
        dead = true;
        throw new Crash(`crashed after write ${index}`);
      }
    }) satisfies Commit,
  };
}

const versionArbitrary = fc.record({
  score: fc.integer({ min: 0, max: 10 }),
  channel: fc.constantFrom('web', 'email', 'sms'),
  day: fc.integer({ min: 18, max: 22 }),
  topics: fc.subarray(['delivery', 'support', 'price'], { maxLength: 2 }),
});

/** Deliveries of (feedback, revision, categorisation) triples: each triple has one content, delivered any number of times. */
const scenarioArbitrary = fc
  .record({
    contents: fc.array(versionArbitrary, { minLength: 36, maxLength: 36 }),
    deliveries: fc.array(
      fc.record({
        feedback: fc.integer({ min: 0, max: 3 }),
        revision: fc.integer({ min: 1, max: 3 }),
        categorisation: fc.integer({ min: 0, max: 2 }),
      }),
      { minLength: 1, maxLength: 24 },
    ),
    batchSizes: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 24, maxLength: 24 }),
    crashes: fc.array(
      fc.record({ at: fc.integer({ min: 0, max: 30 }), when: fc.constantFrom('before' as const, 'after' as const) }),
      { maxLength: 4 },
    ),
  })
  .map(({ contents, deliveries, batchSizes, crashes }) => {
    const records = deliveries.map(({ feedback, revision, categorisation }): FeedbackRecord => {
      const content = contents[feedback * 9 + (revision - 1) * 3 + categorisation]!;
      return npsRecord({
        feedbackId: `fb_${feedback}`,
        revision,
        categorisedAt: new Date(Date.UTC(2026, 10, 25, 0, 0, categorisation)).toISOString(),
        score: content.score,
        channel: content.channel,
        occurredAt: `2026-11-${content.day}T09:00:00.000Z`,
        topics: content.topics.map((id) => topic(id)),
      });
    });
    const batches: FeedbackRecord[][] = [];
    for (let start = 0, batch = 0; start < records.length; batch++) {
      const size = batchSizes[batch]!;
      batches.push(records.slice(start, start + size));
      start += size;
    }
    return { records, batches, crashes };
  });

/** The final version of each feedback: the highest revision, and of that the latest categorisation. */
function finalVersions(records: readonly FeedbackRecord[]): FeedbackRecord[] {
  const latest = new Map<string, FeedbackRecord>();
  for (const record of records) {
    const current = latest.get(record.feedbackId);
    if (
      !current ||
      record.revision > current.revision ||
      (record.revision === current.revision && record.categorisedAt > current.categorisedAt)
    ) {
      latest.set(record.feedbackId, record);
    }
  }
  return [...latest.values()];
}

describe('exactly once', () => {
  it('gives the figures of the unique final responses for any stream of duplicates, reorderings, updates and crashes', {
    timeout: 300_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async ({ records, batches, crashes }) => {
        const { db, tableName } = await createServiceTable('aggregation');
        const stores = aggregationStores(db, tableName);
        const faulty = crashingCommit(stores.commit, crashes);
        const deps = { ...stores, commit: faulty.commit, pause: async () => {} };

        // An SQS queue in miniature: a batch whose invocation crashed, or whose records failed, comes back later.
        const queue = [...batches];
        for (let invocations = 0; queue.length > 0; invocations++) {
          expect(invocations).toBeLessThan(200);
          const batch = queue.shift()!;
          faulty.revive();
          const { outcomes } = await countFeedback(deps, batch);
          const retry = batch.filter((_, index) => outcomes[index] instanceof Error);
          if (retry.length > 0) queue.push(retry.reverse());
        }

        const finals = finalVersions(records);
        const query = { surveyId: 'srv_1', filter: {}, confidence: 0.95, from: '2026-11-18', to: '2026-11-22' };
        const expected = (selected: FeedbackRecord[]) =>
          metricsFor(
            'nps',
            histogramFromScores(
              'nps',
              selected.map((record) => record.score!),
            ),
          );

        const total = await queryMetrics(stores, { ...query, interval: 'day' });
        expect(total).toMatchObject(expected(finals));
        for (const point of total.points!) {
          const onDay = finals.filter((record) => record.occurredAt.startsWith(point.bucket));
          expect(point).toMatchObject(expected(onDay));
        }

        const byChannel = await queryMetrics(stores, { ...query, groupBy: 'channel' });
        for (const channel of ['web', 'email', 'sms']) {
          const selected = finals.filter((record) => record.channel === channel);
          const group = byChannel.groups!.find((candidate) => candidate.value === channel);
          expect(group?.responses ?? 0).toBe(selected.length);
          if (group) {
            const { scale: _scale, ...figures } = expected(selected);
            expect(group).toMatchObject(figures);
          }
        }

        const byTopic = await queryMetrics(stores, { ...query, groupBy: 'topic' });
        const topicCounts = Object.fromEntries(byTopic.groups!.map((group) => [group.value, group.histogram]));
        const expectedTopics: Record<string, number[]> = {};
        for (const id of ['delivery', 'support', 'price', '(none)']) {
          const selected = finals.filter((record) =>
            id === '(none)' ? record.topics.length === 0 : record.topics.some((label) => label.id === id),
          );
          if (selected.length > 0) {
            expectedTopics[id] = [
              ...histogramFromScores(
                'nps',
                selected.map((record) => record.score!),
              ),
            ];
          }
        }
        expect(topicCounts).toEqual(expectedTopics);
      }),
      { numRuns: 30 },
    );
  });
});
