import type { EventToPublish, PublishEvents } from '@cxloop/lambda-kit';
import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { surveyConfigSchema } from '../src/domain/survey-config';
import { aggregationStores } from '../src/store';
import { countFeedback } from '../src/use-cases/count-feedback';
import { alertWindows, evaluateAlerts } from '../src/use-cases/evaluate-alerts';
import { npsRecord } from './support';

const now = new Date('2026-11-20T12:00:00Z');
const causation = { correlationId: 'test' };
let sequence = 0;
/** `count` responses with scores cycling through `scores`, on days `daysAgo` before now. */
const responses = (count: number, scores: number[], daysAgo: number[]) =>
  Array.from({ length: count }, (_, index) =>
    npsRecord({
      feedbackId: `fb_${sequence++}`,
      score: scores[index % scores.length]!,
      occurredAt: new Date(now.getTime() - daysAgo[index % daysAgo.length]! * 86_400_000).toISOString(),
      attributes: { plan: index % 2 === 0 ? 'pro' : 'free' },
    }),
  );

async function setUp() {
  const { db, tableName } = await createServiceTable('aggregation');
  const stores = aggregationStores(db, tableName);
  const published: EventToPublish[] = [];
  let failPublish = false;
  const publish: PublishEvents = async (events) => {
    if (failPublish) throw new Error('EventBridge is down');
    published.push(...events);
  };
  return {
    stores,
    published,
    failNextPublish: (fail: boolean) => {
      failPublish = fail;
    },
    evaluate: () => evaluateAlerts({ ...stores, publish }, 'srv_1', now, causation),
  };
}

describe('metric alerts', () => {
  it('windows are whole days in the survey time zone, the current one ending today', () => {
    expect(alertWindows(now, 7, 'Europe/Moscow')).toEqual({
      current: { first: '2026-11-14', last: '2026-11-20' },
      previous: { first: '2026-11-07', last: '2026-11-13' },
    });
  });

  it('raises MetricAlertRaised once when NPS drops significantly, and again only after it recovered', async () => {
    const { stores, published, evaluate } = await setUp();
    await countFeedback(stores, responses(60, [9, 10, 9, 8], [8, 9, 10, 11, 12]));
    await countFeedback(stores, responses(60, [0, 3, 9, 6], [0, 1, 2, 3, 4]));
    await evaluate();
    await evaluate();
    expect(published).toHaveLength(1);
    expect(published[0]!.contract.detailType).toBe('MetricAlertRaised');
    expect(published[0]!.data).toMatchObject({
      surveyId: 'srv_1',
      ruleId: 'weekly-drop',
      scale: 'nps',
      metric: 'nps',
      current: { from: '2026-11-14', to: '2026-11-20', n: 60 },
      previous: { from: '2026-11-07', to: '2026-11-13', n: 60 },
      confidence: 0.95,
    });
    expect((published[0]!.data as { delta: number }).delta).toBeLessThan(-50);

    await countFeedback(stores, responses(300, [10], [0]));
    await evaluate();
    expect((await stores.surveys.getAlert('srv_1', 'weekly-drop')).status).toBe('ok');
    expect(published).toHaveLength(1);
  });

  it('publishes again after a crash between recording and publishing, under the same alert id', async () => {
    const { stores, published, evaluate, failNextPublish } = await setUp();
    await countFeedback(stores, responses(60, [9, 10], [8, 9, 10]));
    await countFeedback(stores, responses(60, [0, 2], [0, 1, 2]));
    failNextPublish(true);
    await expect(evaluate()).rejects.toThrow('EventBridge is down');
    const raised = await stores.surveys.getAlert('srv_1', 'weekly-drop');
    expect(raised).toMatchObject({ status: 'raised', announced: false });
    failNextPublish(false);
    await evaluate();
    await evaluate();
    expect(published.map((event) => (event.data as { alertId: string }).alertId)).toEqual([raised.alertId]);
  });

  it('watches a segment with its own rule, and stays quiet on too few answers', async () => {
    const { stores, published, evaluate } = await setUp();
    await stores.surveys.putConfig(
      'srv_1',
      surveyConfigSchema.parse({
        segmentKeys: ['plan'],
        alertRules: [{ id: 'pro-drop', segment: { dimension: 'plan', value: 'pro' }, windowDays: 7, minDrop: 10 }],
      }),
      { recount: true, applyNow: true },
    );
    await countFeedback(stores, responses(20, [10], [8]));
    await countFeedback(stores, responses(20, [0], [1]));
    await evaluate();
    expect(published).toHaveLength(0);
    await countFeedback(stores, responses(80, [10], [9]));
    await countFeedback(stores, responses(80, [0], [2]));
    await evaluate();
    expect(published.map((event) => event.data)).toEqual([
      expect.objectContaining({ ruleId: 'pro-drop', segment: { dimension: 'plan', value: 'pro' } }),
    ]);
  });
});
