import { buildDetail, type EventContract } from '@cxloop/events';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';

/** An SQS record carrying an EventBridge event as a rule → queue target delivers it. */
export function eventRecord<C extends EventContract>(
  contract: C,
  data: z.input<C['dataSchema']>,
  messageId: string,
): SQSRecord {
  const detail = buildDetail(contract, data, { correlationId: `correlation-${messageId}` });
  const event = {
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
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: JSON.stringify(event),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'events.amazonaws.com',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:queue',
    awsRegion: 'us-east-1',
  };
}

export const sqsEvent = (records: SQSRecord[]): SQSEvent => ({ Records: records });

/** A Lambda context whose remaining time is what `remainingMs` says at each call. */
export function lambdaContext(remainingMs: () => number): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'Categoriser',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Categoriser',
    memoryLimitInMB: '512',
    awsRequestId: 'request-1',
    logGroupName: '/aws/lambda/Categoriser',
    logStreamName: 'stream',
    getRemainingTimeInMillis: remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
