import { FeedbackReceived } from '@cxloop/events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { feedbackConsumer } from '../src/handlers/consumers';
import { eventRecord, lambdaContext, sqsEvent } from './support/sqs';
import { categorisationTestbed, feedback } from './support/testbed';

/** The EMF records an invocation printed on stdout. */
async function emfRecords(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const chunks: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    write.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(() => {
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'categorisation');
});

describe("the categoriser consumer's business metric", () => {
  it('counts the feedback it categorised, and a redelivered record as 0', async () => {
    const bed = await categorisationTestbed();
    const handler = feedbackConsumer(bed);
    const records = [feedback(), feedback()].map((item) => eventRecord(FeedbackReceived, item, item.feedbackId));
    const context = lambdaContext(() => 10_000);

    const first = await emfRecords(() => handler(sqsEvent(records), context));
    const redelivered = await emfRecords(() => handler(sqsEvent(records.slice(1)), context));

    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          { Namespace: 'cxloop', Dimensions: [['service']], Metrics: [{ Name: 'FeedbackCategorised', Unit: 'Count' }] },
        ],
      },
      service: 'categorisation',
      FeedbackCategorised: 2,
    });
    expect(redelivered).toHaveLength(1);
    expect(redelivered[0]).toMatchObject({ service: 'categorisation', FeedbackCategorised: 0 });
  });
});
