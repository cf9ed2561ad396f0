import type { EventToPublish, PublishEvents } from '@cxloop/lambda-kit';
import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { surveyConfigSchema } from '../src/domain/survey-config';
import { aggregationStores } from '../src/store';
import { countFeedback } from '../src/use-cases/count-feedback';
import { watchSegments } from '../src/use-cases/watch-segments';
import { npsRecord } from './support';

const now = new Date('2026-11-20T12:00:00Z');
const causation = { correlationId: 'tick' };
let sequence = 0;
const day = 86_400_000;
/** `count` answers of one region with scores cycling through `scores`, on days `daysAgo` before now. */
const answers = (count: number, region: string, scores: number[], daysAgo: number[]) =>
  Array.from({ length: count }, (_, index) =>
    npsRecord({
      feedbackId: `fb_${sequence++}`,
      score: scores[index % scores.length]!,
      occurredAt: new Date(now.getTime() - daysAgo[index % daysAgo.length]! * day).toISOString(),
      attributes: { region },
    }),
  );

async function setUp(segmentWatch: Record<string, unknown> = {}) {
  const { db, tableName } = await createServiceTable('aggregation');
  const stores = aggregationStores(db, tableName);
  const published: EventToPublish[] = [];
  const publish: PublishEvents = async (events) => {
    published.push(...events);
  };
  await stores.surveys.putConfig('srv_1', surveyConfigSchema.parse({ segmentKeys: ['region'], segmentWatch }), {
    recount: true,
    applyNow: true,
  });
  return { stores, published, tick: () => watchSegments({ ...stores, publish }, now, causation) };
}

const lastWeek = [8, 9, 10, 11, 12];
const thisWeek = [0, 1, 2, 3, 4];
const steady = [9, 10, 9, 8, 7];

describe('the scheduled segment watch against DynamoDB Local', () => {
  it('raises the planted drop of one region once over two ticks, and nothing for the steady ones', async () => {
    const { stores, published, tick } = await setUp();
    for (const region of ['north', 'south', 'east', 'west']) {
      await countFeedback(stores, answers(60, region, steady, lastWeek));
    }
    await countFeedback(stores, answers(60, 'north', [0, 3, 6, 9], thisWeek));
    for (const region of ['south', 'east', 'west']) await countFeedback(stores, answers(60, region, steady, thisWeek));

    const first = await tick();
    await tick();
    expect(first).toMatchObject({ surveys: 1, failed: [] });
    const alerts = published.filter((event) => event.contract.detailType === 'MetricAlertRaised');
    const raised = alerts.map((event) => event.data as { kind: string; segment?: { value: string } });
    expect(raised, 'each watch once, though it ticked twice').toHaveLength(2);
    expect(raised.every((alert) => alert.segment?.value === 'north')).toBe(true);
    expect(new Set(raised.map((alert) => alert.kind))).toEqual(new Set(['drop', 'below_rest']));
    expect(alerts[0]!.data).toMatchObject({ qValue: expect.any(Number), tested: first.tested });
  });

  it('catches answers that stop arriving, with no batch to trigger it', async () => {
    const { stores, published, tick } = await setUp();
    await countFeedback(stores, answers(80, 'north', steady, lastWeek));
    await countFeedback(stores, answers(5, 'north', steady, thisWeek));
    await tick();
    expect(published.map((event) => event.data)).toContainEqual(
      expect.objectContaining({ kind: 'response_rate', metric: 'responsesPerDay' }),
    );
  });

  it("follows the survey's segmentWatch config: off, it tests nothing; a larger minimum sample skips small segments", async () => {
    const plant = async (stores: Awaited<ReturnType<typeof setUp>>['stores']) => {
      await countFeedback(stores, answers(60, 'north', steady, lastWeek));
      await countFeedback(stores, answers(60, 'north', [0, 3, 6, 9], thisWeek));
    };
    const off = await setUp({ enabled: false });
    await plant(off.stores);
    expect(await off.tick()).toMatchObject({ surveys: 1, tested: 0, falling: 0 });
    expect(off.published).toHaveLength(0);

    const strict = await setUp({ minAnswers: 100 });
    await plant(strict.stores);
    expect(await strict.tick(), 'only the answer-rate test is left').toMatchObject({ tested: 1, falling: 0 });
  });
});
