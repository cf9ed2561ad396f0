import { FeedbackReceived } from '@cxloop/events';
import { beforeEach, describe, expect, it } from 'vitest';
import { FEEDBACK_RECORD_RESERVE_MS, feedbackConsumer } from '../src/handlers/consumers';
import { defaultTaxonomy } from '../src/index';
import { putTaxonomy } from '../src/use-cases/manage-taxonomy';
import { eventRecord, lambdaContext, sqsEvent } from './support/sqs';
import { type CategorisationTestbed, categorisationTestbed, feedback } from './support/testbed';

const now = new Date('2026-11-21T10:00:00Z');

describe('the categoriser consumer, record by record', () => {
  let bed: CategorisationTestbed;

  beforeEach(async () => {
    bed = await categorisationTestbed();
  });

  it('categorises a comment built to make (a|aa)+$ backtrack without holding up its batch', async () => {
    await putTaxonomy(
      bed.taxonomies,
      {
        topics: [
          ...defaultTaxonomy.topics,
          { id: 'screams', names: { en: 'Screams' }, rules: { en: { regex: ['(a|aa)+$'] } } },
        ],
      },
      'key-admin',
      now,
    );
    const items = Array.from({ length: 10 }, (_, index) =>
      feedback(index === 4 ? { text: `${'a'.repeat(9_999)}b`, languageHint: 'en' } : {}),
    );
    const records = items.map((item) => eventRecord(FeedbackReceived, item, `message-${item.feedbackId}`));

    const started = performance.now();
    const response = await feedbackConsumer(bed)(
      sqsEvent(records),
      lambdaContext(() => 10_000),
    );
    const elapsedMs = performance.now() - started;

    expect(response.batchItemFailures).toEqual([]);
    const categorised = bed.categorised();
    expect(categorised.map((event) => event.feedback.feedbackId).sort()).toEqual(
      items.map((item) => item.feedbackId).sort(),
    );
    const attack = categorised.find((event) => event.feedback.feedbackId === items[4]!.feedbackId)!;
    expect(attack.categorisation).toMatchObject({ taxonomyVersion: 2, language: 'en' });
    // Ten records against DynamoDB Local, generous for a loaded machine: a backtracking engine would take years.
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('hands the records it has no time left for back to the queue, unstarted, and keeps the ones it did', async () => {
    const items = Array.from({ length: 5 }, () => feedback());
    const records = items.map((item) => eventRecord(FeedbackReceived, item, `message-${item.feedbackId}`));
    // Two records fit before the invocation's remaining time falls below the reserve.
    const remaining = [10_000, 8_000, FEEDBACK_RECORD_RESERVE_MS - 1];
    const context = lambdaContext(() => remaining.shift() ?? 0);

    const first = await feedbackConsumer(bed)(sqsEvent(records), context);
    expect(first.batchItemFailures).toEqual(records.slice(2).map((record) => ({ itemIdentifier: record.messageId })));
    expect(bed.categorised().map((event) => event.feedback.feedbackId)).toEqual(
      items.slice(0, 2).map((item) => item.feedbackId),
    );

    const redelivered = records.slice(2);
    const second = await feedbackConsumer(bed)(
      sqsEvent(redelivered),
      lambdaContext(() => 10_000),
    );
    expect(second.batchItemFailures).toEqual([]);
    expect(bed.categorised()).toHaveLength(5);
  });

  it('fails a malformed record alone', async () => {
    const items = [feedback(), feedback()];
    const [good, other] = items.map((item) => eventRecord(FeedbackReceived, item, `message-${item.feedbackId}`));
    const broken = { ...good!, messageId: 'message-broken', body: '{"detail-type":"FeedbackReceived"}' };

    const response = await feedbackConsumer(bed)(
      sqsEvent([good!, broken, other!]),
      lambdaContext(() => 10_000),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'message-broken' }]);
    expect(bed.categorised()).toHaveLength(2);
  });
});
