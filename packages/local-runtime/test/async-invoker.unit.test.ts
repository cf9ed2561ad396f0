import { describe, expect, it } from 'vitest';
import { Activity } from '../src/activity';
import { timescale } from '../src/clock';
import { AsyncInvoker, type AsyncInvokeSettings, type InvocationRecord } from '../src/lambda/async-invoker';
import type { InvokeOutcome } from '../src/lambda/function-pool';
import type { LambdaError } from '../src/lambda/worker/protocol';
import { FakeClock } from './support/fake-clock';

const failure: InvokeOutcome = { ok: false, error: { errorType: 'Error', errorMessage: 'nope', trace: [] } };

function setup(outcomes: InvokeOutcome[]) {
  const clock = new FakeClock();
  const attempts: number[] = [];
  const records: Array<{ arn: string; record: InvocationRecord; success: boolean }> = [];
  const deadLetters: Array<{ arn: string; event: unknown; error: LambdaError }> = [];
  const activity = new Activity();
  const invoker = new AsyncInvoker({
    invoke: async () => {
      attempts.push(clock.now());
      return outcomes.shift() ?? { ok: true, payload: 'done' };
    },
    sendToDestination: (arn, record, success) => records.push({ arn, record, success }),
    sendToDeadLetterQueue: (arn, event, _requestId, error) => deadLetters.push({ arn, event, error }),
    clock,
    timescale: timescale(1),
    activity,
    log: () => {},
  });
  return { clock, attempts, records, deadLetters, activity, invoker };
}

const settings: AsyncInvokeSettings = {
  functionName: 'fn',
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 21_600,
  onFailure: 'arn:aws:sqs:us-east-1:000000000000:failures',
};

describe('AsyncInvoker', () => {
  it('retries a failing event after one and then two minutes, then sends the failure record', async () => {
    const { clock, attempts, records, activity, invoker } = setup([failure, failure, failure]);
    const start = clock.now();
    const requestId = invoker.invoke(settings, { hello: 'world' });
    await clock.advance(0);
    expect(activity.busy()).toEqual(['1 × async event for fn']);
    await clock.advance(60_000);
    await clock.advance(120_000);
    expect(attempts.map((at) => at - start)).toEqual([0, 60_000, 180_000]);
    expect(records).toEqual([
      {
        arn: settings.onFailure,
        success: false,
        record: expect.objectContaining({
          version: '1.0',
          requestContext: {
            requestId,
            functionArn: `${settings.functionArn}:$LATEST`,
            condition: 'RetriesExhausted',
            approximateInvokeCount: 3,
          },
          requestPayload: { hello: 'world' },
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
          responsePayload: { errorType: 'Error', errorMessage: 'nope', trace: [] },
        }),
      },
    ]);
    expect(activity.busy()).toEqual([]);
  });

  it('stops retrying once it succeeds, and reports success to OnSuccess', async () => {
    const { clock, attempts, records, invoker } = setup([failure]);
    invoker.invoke({ ...settings, onSuccess: 'arn:aws:sqs:us-east-1:000000000000:ok' }, {});
    await clock.advance(60_000);
    expect(attempts).toHaveLength(2);
    expect(records).toEqual([
      expect.objectContaining({ success: true, record: expect.objectContaining({ responsePayload: 'done' }) }),
    ]);
  });

  it('gives up with EventAgeExceeded when the next retry would be too late', async () => {
    const { clock, attempts, records, invoker } = setup([failure, failure]);
    invoker.invoke({ ...settings, maximumEventAgeSeconds: 90 }, {});
    await clock.advance(200_000);
    expect(attempts).toHaveLength(2);
    expect(records[0]?.record.requestContext.condition).toBe('EventAgeExceeded');
  });

  it('sends the event itself to the dead-letter queue when there is no failure destination', async () => {
    const { clock, deadLetters, invoker } = setup([failure]);
    invoker.invoke(
      { ...settings, onFailure: undefined, maximumRetryAttempts: 0, deadLetterTargetArn: 'arn:aws:sqs:x:1:dlq' },
      { id: 7 },
    );
    await clock.advance(0);
    expect(deadLetters).toEqual([
      { arn: 'arn:aws:sqs:x:1:dlq', event: { id: 7 }, error: expect.objectContaining({ errorMessage: 'nope' }) },
    ]);
  });

  it('scales its delays with the timescale', async () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const invoker = new AsyncInvoker({
      invoke: async () => {
        attempts.push(clock.now());
        return failure;
      },
      sendToDestination: () => {},
      sendToDeadLetterQueue: () => {},
      clock,
      timescale: timescale(0.01),
      activity: new Activity(),
      log: () => {},
    });
    const start = clock.now();
    invoker.invoke(settings, {});
    await clock.advance(2_000);
    expect(attempts.map((at) => at - start)).toEqual([0, 600, 1_800]);
  });
});
