import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { seedResponses } from '../scripts/seed';
import { syntheticResponses } from '../scripts/synthetic';
import { aggregationStores } from '../src/store';
import { countFeedback } from '../src/use-cases/count-feedback';
import { queryMetrics } from '../src/use-cases/query-metrics';

describe('the seeding script', () => {
  it('leaves the figures the consumer would have counted', async () => {
    const responses = () =>
      syntheticResponses({ surveyId: 'srv_1', count: 300, days: 20, start: new Date('2026-11-01T00:00:00Z') });
    const seeded = await createServiceTable('aggregation');
    await seedResponses(seeded.db, seeded.tableName, responses(), { surveyId: 'srv_1' });
    const counted = await createServiceTable('aggregation');
    const countedStores = aggregationStores(counted.db, counted.tableName);
    const all = [...responses()];
    for (let start = 0; start < all.length; start += 50)
      await countFeedback(countedStores, all.slice(start, start + 50));

    for (const groupBy of [undefined, 'channel', 'topic', 'intent']) {
      const query = {
        surveyId: 'srv_1',
        filter: {},
        confidence: 0.95,
        from: '2026-11-01',
        to: '2026-11-21',
        interval: 'day' as const,
        ...(groupBy ? { groupBy } : {}),
      };
      const fromSeed = await queryMetrics(aggregationStores(seeded.db, seeded.tableName), query);
      expect(fromSeed.responses).toBe(300);
      expect(fromSeed).toEqual(await queryMetrics(countedStores, query));
    }
  });
});
