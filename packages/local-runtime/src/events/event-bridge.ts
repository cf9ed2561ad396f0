import { compileEventPattern, type EventMatcher } from '@cxloop/event-pattern';
import { AwsError } from '../aws-api/aws-error';
import type { BusDefinition, RuleDefinition, TargetDefinition } from '../template/resources/events';
import type { EventBridgeEvent } from './event';
import { targetInput } from './input-transform';
import { buildEvent, type EntryResult, type PutEventsEntry, validatePutEventsRequest } from './put-events';

export interface Delivery {
  target: TargetDefinition;
  rule: RuleDefinition;
  event: EventBridgeEvent;
  /** What the target receives: the event or its transformed input, as text. */
  input: string;
}

export interface EventBridgeDependencies {
  account: string;
  region: string;
  now: () => Date;
  /** Hands the input to the target (queue, function, bus); throws when the target refuses it. */
  deliver: (delivery: Delivery) => void;
  /** A delivery failed: EventBridge sends the event to the target's dead-letter queue, if it has one. */
  deliveryFailed: (delivery: Delivery, error: Error) => void;
}

export type EventListener = (busName: string, event: EventBridgeEvent) => void;

interface CompiledRule {
  rule: RuleDefinition;
  matches: EventMatcher;
}

/** The event buses of the stack: PutEvents, rule matching with the real patterns, and delivery to targets. */
export class EventBridge {
  private readonly busNames: Set<string>;
  private readonly rulesByBus = new Map<string, CompiledRule[]>();
  private readonly listeners = new Set<EventListener>();

  constructor(
    buses: BusDefinition[],
    rules: RuleDefinition[],
    private readonly deps: EventBridgeDependencies,
  ) {
    this.busNames = new Set(['default', ...buses.map((bus) => bus.name)]);
    for (const rule of rules) {
      if (!rule.enabled || rule.eventPattern === undefined) continue;
      let matches: EventMatcher;
      try {
        matches = compileEventPattern(rule.eventPattern);
      } catch (error) {
        throw new Error(`rule ${rule.logicalId} has an invalid event pattern: ${(error as Error).message}`);
      }
      const onBus = this.rulesByBus.get(rule.busName) ?? [];
      onBus.push({ rule, matches });
      this.rulesByBus.set(rule.busName, onBus);
    }
  }

  /** The PutEvents API: validates like EventBridge, then routes every accepted event. */
  putEvents(entries: unknown): { FailedEntryCount: number; Entries: EntryResult[] } {
    validatePutEventsRequest(entries);
    const results = entries.map((entry: PutEventsEntry): EntryResult => {
      const built = buildEvent(entry, { account: this.deps.account, region: this.deps.region, now: this.deps.now() });
      if ('error' in built) return built.error;
      if (!this.busNames.has(built.busName)) {
        return { ErrorCode: 'NotFoundException', ErrorMessage: `Event bus ${built.busName} does not exist.` };
      }
      this.publish(built.busName, built.event);
      return { EventId: built.event.id };
    });
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  /** Routes an event on a bus to the targets of every rule whose pattern matches it. */
  publish(busName: string, event: EventBridgeEvent): void {
    if (!this.busNames.has(busName))
      throw new AwsError('ResourceNotFoundException', `Event bus ${busName} does not exist.`);
    for (const listener of this.listeners) listener(busName, event);
    for (const { rule, matches } of this.rulesByBus.get(busName) ?? []) {
      if (matches(event)) this.deliverToTargets(rule, event);
    }
  }

  /** Sends an event to every target of a rule (scheduled rules fire this way, without a pattern). */
  deliverToTargets(rule: RuleDefinition, event: EventBridgeEvent): void {
    const ingestedAt = this.deps.now();
    for (const target of rule.targets) {
      const delivery = { target, rule, event, input: targetInput(target, event, rule, ingestedAt) };
      try {
        this.deps.deliver(delivery);
      } catch (error) {
        this.deps.deliveryFailed(delivery, error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
