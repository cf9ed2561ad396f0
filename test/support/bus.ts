import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { buildDetail, type EventContract } from '@cxloop/events';
import { expect } from 'vitest';
import type * as z from 'zod';
import type { TestRuntime } from './runtime';

/**
 * Publishes an event on the local runtime's bus as its publisher would (`times` deliveries of the same entry, to
 * check a consumer's de-duplication), for e2e tests of a consumer whose publisher they do not drive.
 */
export async function publishOnLocalBus<C extends EventContract>(
  system: TestRuntime,
  contract: C,
  data: z.input<C['dataSchema']>,
  { correlationId = 'e2e', times = 1 }: { correlationId?: string; times?: number } = {},
): Promise<void> {
  const events = new EventBridgeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: `${system.runtime.awsEndpoint}/events`,
  });
  const entry = {
    EventBusName: system.runtime.outputs.EventBusName,
    Source: contract.source,
    DetailType: contract.detailType,
    Detail: JSON.stringify(buildDetail(contract, data, { correlationId })),
  };
  try {
    for (let delivery = 0; delivery < times; delivery += 1) {
      const put = await events.send(new PutEventsCommand({ Entries: [entry] }));
      expect(put.FailedEntryCount).toBe(0);
    }
  } finally {
    events.destroy();
  }
}
