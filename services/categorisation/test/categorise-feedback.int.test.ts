import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { categorisationKeys } from '../src/store';
import { categoriseFeedback } from '../src/use-cases/categorise-feedback';
import { listCategorisations } from '../src/use-cases/list-categorisations';
import { type CategorisationTestbed, categorisationTestbed, feedback, received } from './support/testbed';

describe('categoriseFeedback against DynamoDB Local', () => {
  let bed: CategorisationTestbed;

  beforeEach(async () => {
    bed = await categorisationTestbed();
  });

  it('categorises a Russian late-delivery complaint and publishes it once per revision', async () => {
    const item = feedback();
    expect(await categoriseFeedback(bed, received(item))).toBe('published');
    expect(await categoriseFeedback(bed, received(item))).toBe('ignored');

    const [event] = bed.categorised();
    expect(bed.published).toHaveLength(1);
    expect(bed.published[0]?.causation).toEqual({
      correlationId: `correlation-${item.feedbackId}`,
      causationId: `event-${item.feedbackId}-1`,
    });
    const { categorisation } = event!;
    expect(categorisation).toMatchObject({ language: 'ru', taxonomyVersion: 1, categoriserVersion: '1.0.0' });
    expect(categorisation.sentiment.label).toBe('negative');
    const delivery = categorisation.topics.find((topic) => topic.id === 'delivery');
    expect(delivery?.evidence.map((evidence) => evidence.text)).toContain('Доставка');
    expect(categorisation.intents.map((intent) => intent.id)).toContain('complaint');
    expect(await bed.results.get(item.feedbackId)).toMatchObject({
      revision: 1,
      publishedRevision: 1,
      published: true,
    });
  });

  it('replaces the result and its index entries with a newer revision, and ignores an older one arriving late', async () => {
    const first = feedback();
    await categoriseFeedback(bed, received(first));
    const second = { ...first, revision: 2, text: 'Everything was great, thank you!', languageHint: 'en' };
    expect(await categoriseFeedback(bed, received(second))).toBe('published');
    expect(await categoriseFeedback(bed, received(first))).toBe('ignored');

    const stored = await bed.results.get(first.feedbackId);
    expect(stored?.categorisation.sentiment.label).toBe('positive');
    const deliveries = await listCategorisations(bed.results, { topic: 'delivery' }, 10);
    expect(deliveries.items).toEqual([]);
    const positive = await listCategorisations(bed.results, { sentiment: 'positive' }, 10);
    expect(positive.items.map((view) => [view.feedbackId, view.revision])).toEqual([[first.feedbackId, 2]]);
    const negativeEntry = await bed.db.send(
      new GetCommand({
        TableName: bed.tableName,
        Key: categorisationKeys.label(first.feedbackId, { kind: 'sentiment', id: 'negative' }),
      }),
    );
    expect(negativeEntry.Item).toBeUndefined();
  });

  it('re-publishes on the retry when it crashed between the write and the publish', async () => {
    const item = feedback();
    const failing = {
      ...bed,
      publish: async () => {
        throw new Error('bus down');
      },
    };
    await expect(categoriseFeedback(failing, received(item))).rejects.toThrow('bus down');
    expect(await bed.results.get(item.feedbackId)).toMatchObject({ published: false, publishedRevision: 0 });
    expect(await categoriseFeedback(bed, received(item))).toBe('published');
    expect(bed.published).toHaveLength(1);
  });
});
