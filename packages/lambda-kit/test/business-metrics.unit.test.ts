import { buildDetail, FeedbackCategorised, FeedbackReceived } from '@cxloop/events';
import { defineRoute } from '@cxloop/http-contracts';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { BusinessMetrics } from '../src/business-metrics';
import { sqsEventConsumer } from '../src/consumers';
import { type HttpEvent, httpRoutes, json } from '../src/http';
import { logger } from '../src/logger';
import { countMetric } from '../src/metrics';

const context = {
  functionName: 'Categoriser',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Categoriser',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

const feedbackId = FeedbackReceived.example.feedbackId;

function eventBatch(contract: typeof FeedbackReceived | typeof FeedbackCategorised, messageId: string): SQSEvent {
  const detail = buildDetail(contract, contract.example as never, { correlationId: 'corr-1' });
  const body = {
    version: '0',
    id: detail.metadata.eventId,
    'detail-type': contract.detailType,
    source: contract.source,
    account: '000000000000',
    time: detail.metadata.occurredAt,
    region: 'us-east-1',
    resources: [],
    detail,
  };
  return { Records: [{ messageId, body: JSON.stringify(body), attributes: {}, messageAttributes: {} }] } as never;
}

/** What the handler printed (EMF records on stdout, JSON log lines on stdout and stderr), one parsed object a line. */
async function printed(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const chunks: string[] = [];
  const capture = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  const writes = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation(capture),
  );
  try {
    await run();
  } finally {
    for (const write of writes) write.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const emfRecords = (lines: Record<string, unknown>[]) => lines.filter((line) => '_aws' in line);
const logLines = (lines: Record<string, unknown>[]) => lines.filter((line) => 'message' in line);

beforeAll(() => {
  // The service dimension comes from the function's POWERTOOLS_SERVICE_NAME (CxFunction sets it to the service).
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'categorisation');
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('business metrics', () => {
  const seen = new Set<string>();
  const categoriser = sqsEventConsumer(
    FeedbackReceived,
    async (event) => {
      logger.info('Categorising');
      if (seen.has(event.data.feedbackId)) return;
      seen.add(event.data.feedbackId);
      countMetric(BusinessMetrics.feedbackCategorised);
    },
    { metrics: [BusinessMetrics.feedbackCategorised] },
  );

  it('prints one EMF record per invocation in the cxloop namespace with the service dimension, 0 for a duplicate', async () => {
    const first = emfRecords(await printed(() => categoriser(eventBatch(FeedbackReceived, 'm-1'), context)));
    const duplicate = emfRecords(await printed(() => categoriser(eventBatch(FeedbackReceived, 'm-2'), context)));

    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'cxloop',
            Dimensions: [['service']],
            Metrics: [{ Name: 'FeedbackCategorised', Unit: 'Count' }],
          },
        ],
      },
      service: 'categorisation',
      FeedbackCategorised: 1,
    });
    expect(duplicate).toHaveLength(1);
    expect(duplicate[0]).toMatchObject({ service: 'categorisation', FeedbackCategorised: 0 });
  });

  it('adds up what one invocation counts into one value', async () => {
    const sender = sqsEventConsumer(FeedbackReceived, async () => {
      countMetric(BusinessMetrics.messagesSent);
      countMetric(BusinessMetrics.messagesSent, 2);
    });
    const [record, ...more] = emfRecords(await printed(() => sender(eventBatch(FeedbackReceived, 'm-3'), context)));
    expect(more).toEqual([]);
    expect(record).toMatchObject({ MessagesSent: 3 });
  });

  it('prints nothing, and warns of nothing, for a handler that counts no metric', async () => {
    const quiet = sqsEventConsumer(FeedbackReceived, async () => {});
    const lines = await printed(() => quiet(eventBatch(FeedbackReceived, 'm-4'), context));
    expect(emfRecords(lines)).toEqual([]);
    expect(logLines(lines).filter((line) => line.level !== 'INFO')).toEqual([]);
  });
});

describe('log lines correlated by feedback', () => {
  it("puts the event's feedbackId and correlationId on every line written while its record is handled", async () => {
    const consumers = [FeedbackReceived, FeedbackCategorised].map((contract) =>
      sqsEventConsumer(contract, async () => {
        logger.info('Working on it');
        throw new Error('boom');
      }),
    );
    for (const [index, contract] of [FeedbackReceived, FeedbackCategorised].entries()) {
      const lines = logLines(await printed(() => consumers[index]!(eventBatch(contract, `m-${index}`), context)));
      expect(lines.map((line) => line.message)).toEqual(['Working on it', 'Record failed']);
      for (const line of lines) expect(line).toMatchObject({ feedbackId, correlationId: 'corr-1' });
    }
  });

  it('puts the feedbackId a route path names on its lines, and none on the next request', async () => {
    const route = defineRoute({
      method: 'GET',
      path: '/v1/feedback/{feedbackId}',
      auth: 'public',
      summary: 'A piece of feedback',
      request: { path: z.object({ feedbackId: z.string().optional() }) },
      responses: { 200: z.object({}) },
    });
    const handler = httpRoutes([route], {
      'GET /v1/feedback/{feedbackId}': async () => {
        logger.info('Reading feedback');
        return json(200, {});
      },
    });
    const call = (pathParameters: Record<string, string>) =>
      handler(
        { routeKey: route.key, headers: {}, pathParameters, requestContext: { requestId: 'req-1' } } as HttpEvent,
        context,
      );

    const [named] = logLines(await printed(() => call({ feedbackId })));
    const [unnamed] = logLines(await printed(() => call({})));
    expect(named).toMatchObject({ message: 'Reading feedback', feedbackId, correlationId: 'req-1' });
    expect(unnamed).not.toHaveProperty('feedbackId');
  });
});
