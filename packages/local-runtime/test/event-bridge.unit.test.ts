import { describe, expect, it } from 'vitest';
import type { EventBridgeEvent } from '../src/events/event';
import { type Delivery, EventBridge } from '../src/events/event-bridge';
import type { RuleDefinition } from '../src/template/resources/events';

const rule = (name: string, overrides: Partial<RuleDefinition>): RuleDefinition => ({
  logicalId: name,
  name,
  arn: `arn:aws:events:us-east-1:000000000000:rule/bus/${name}`,
  busName: 'bus',
  enabled: true,
  targets: [
    {
      id: 't',
      arn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
      maximumRetryAttempts: 185,
      maximumEventAgeSeconds: 86_400,
    },
  ],
  ...overrides,
});

function bridge(rules: RuleDefinition[], deliver: (delivery: Delivery) => void = () => {}) {
  const delivered: Delivery[] = [];
  const failed: Array<[Delivery, string]> = [];
  const eventBridge = new EventBridge(
    [{ logicalId: 'Bus', name: 'bus', arn: 'arn:aws:events:us-east-1:0:event-bus/bus' }],
    rules,
    {
      account: '000000000000',
      region: 'us-east-1',
      now: () => new Date('2030-01-01T00:00:00Z'),
      deliver: (delivery) => {
        delivered.push(delivery);
        deliver(delivery);
      },
      deliveryFailed: (delivery, error) => failed.push([delivery, error.message]),
    },
  );
  return { eventBridge, delivered, failed };
}

const entry = (detailType: string, busName = 'bus') => ({
  EventBusName: busName,
  Source: 'app',
  DetailType: detailType,
  Detail: '{"id":1}',
});

describe('EventBridge', () => {
  it('delivers an event to the targets of the enabled rules on its bus whose pattern matches', () => {
    const { eventBridge, delivered } = bridge([
      rule('created', { eventPattern: { 'detail-type': ['Created'] } }),
      rule('deleted', { eventPattern: { 'detail-type': ['Deleted'] } }),
      rule('disabled', { eventPattern: { source: ['app'] }, enabled: false }),
      rule('elsewhere', { eventPattern: { source: ['app'] }, busName: 'default' }),
    ]);
    const result = eventBridge.putEvents([entry('Created')]);
    expect(result.FailedEntryCount).toBe(0);
    expect(delivered.map((delivery) => delivery.rule.name)).toEqual(['created']);
    expect(JSON.parse(delivered[0]?.input ?? '')).toMatchObject({ 'detail-type': 'Created', detail: { id: 1 } });
  });

  it('reports a failed delivery without failing the PutEvents entry', () => {
    const { eventBridge, failed } = bridge([rule('created', { eventPattern: { source: ['app'] } })], () => {
      throw new Error('queue is gone');
    });
    expect(eventBridge.putEvents([entry('Created')]).FailedEntryCount).toBe(0);
    expect(failed.map(([delivery, message]) => [delivery.rule.name, message])).toEqual([['created', 'queue is gone']]);
  });

  it('tells listeners about every accepted event, matching or not', () => {
    const { eventBridge } = bridge([]);
    const seen: Array<[string, EventBridgeEvent]> = [];
    const unsubscribe = eventBridge.onEvent((bus, event) => seen.push([bus, event]));
    eventBridge.putEvents([entry('A'), entry('B', 'missing')]);
    unsubscribe();
    eventBridge.putEvents([entry('C')]);
    expect(seen.map(([bus, event]) => [bus, event['detail-type']])).toEqual([['bus', 'A']]);
  });

  it('refuses rules whose pattern EventBridge would reject', () => {
    expect(() => bridge([rule('bad', { eventPattern: { source: 'not-a-list' } })])).toThrow(
      /rule bad has an invalid event pattern/,
    );
  });
});
