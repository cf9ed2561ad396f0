import type { EventBridgeClient, PutEventsCommand, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { FeedbackReceived } from '@cxloop/events';
import { describe, expect, it } from 'vitest';
import { eventPublisher } from '../src/events';

/**
 * EventBridge accepts a PutEvents call in part when some entries are throttled; the local bus never does, so this fake
 * answers each call with the next entry error codes of `answers` (undefined: accepted) and records what it was sent.
 */
function partlyFailingBus(answers: (string | undefined)[][]) {
  const calls: string[][] = [];
  const client = {
    async send(command: PutEventsCommand) {
      const entries = command.input.Entries ?? [];
      calls.push(
        entries.map((entry) => (JSON.parse(entry.Detail ?? '{}') as { data: { feedbackId: string } }).data.feedbackId),
      );
      const codes = answers.shift() ?? [];
      const results: PutEventsResultEntry[] = entries.map((_, index) =>
        codes[index] ? { ErrorCode: codes[index], ErrorMessage: 'Rate exceeded' } : { EventId: `id-${index}` },
      );
      return { FailedEntryCount: results.filter((entry) => entry.ErrorCode).length, Entries: results };
    },
  } as unknown as EventBridgeClient;
  return { client, calls };
}

const noSleep = async () => {};
const events = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    contract: FeedbackReceived,
    data: { ...FeedbackReceived.example, feedbackId: `fb_${index}` },
    causation: { correlationId: 'c1' },
  }));

describe('eventPublisher', () => {
  it('puts again only the entries EventBridge throttled, until every one is accepted', async () => {
    const bus = partlyFailingBus([
      [undefined, 'ThrottlingException', undefined, 'InternalFailure'],
      [undefined, 'ThrottlingException'],
    ]);
    await eventPublisher('bus', bus.client, { sleep: noSleep })(events(4));
    expect(bus.calls).toEqual([['fb_0', 'fb_1', 'fb_2', 'fb_3'], ['fb_1', 'fb_3'], ['fb_3']]);
  });

  it('throws for an entry refused for good, and when throttling outlasts the retries', async () => {
    const refused = partlyFailingBus([[undefined, 'MalformedDetail']]);
    await expect(eventPublisher('bus', refused.client, { sleep: noSleep })(events(2))).rejects.toThrow(
      'PutEvents rejected 1 of 2 entries: MalformedDetail',
    );
    expect(refused.calls).toHaveLength(1);
    const throttled = partlyFailingBus(Array.from({ length: 3 }, () => ['ThrottlingException']));
    await expect(eventPublisher('bus', throttled.client, { sleep: noSleep, maxRounds: 3 })(events(1))).rejects.toThrow(
      'PutEvents left 1 of 1 unprocessed',
    );
  });
});
