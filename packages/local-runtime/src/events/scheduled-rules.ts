import { randomUUID } from 'node:crypto';
import type { Clock, Timescale } from '../clock';
import type { RuleDefinition } from '../template/resources/events';
import { type EventBridgeEvent, eventTime } from './event';
import { parseScheduleExpression, type Schedule } from './schedule-expression';

export interface ScheduledRuleDependencies {
  clock: Clock;
  timescale: Timescale;
  account: string;
  region: string;
  fire: (rule: RuleDefinition, event: EventBridgeEvent) => void;
  log: (line: string) => void;
}

/**
 * Runs the rules that have a ScheduleExpression. Each keeps its own schedule time, which advances by the real
 * interval while the wait between runs is scaled, so events carry the times AWS would give them.
 */
export class ScheduledRules {
  private readonly cancels = new Set<() => void>();

  constructor(
    private readonly rules: RuleDefinition[],
    private readonly deps: ScheduledRuleDependencies,
  ) {}

  start(): void {
    for (const rule of this.rules) {
      if (!rule.enabled || rule.scheduleExpression === undefined) continue;
      let schedule: Schedule;
      try {
        schedule = parseScheduleExpression(rule.scheduleExpression);
      } catch (error) {
        this.deps.log(`[runtime] rule ${rule.logicalId} will not run: ${(error as Error).message}`);
        continue;
      }
      this.arm(rule, schedule, this.deps.clock.now());
    }
  }

  stop(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels.clear();
  }

  private arm(rule: RuleDefinition, schedule: Schedule, scheduleTime: number): void {
    const next = schedule.next(scheduleTime);
    if (next === undefined) return;
    const cancel = this.deps.clock.schedule(this.deps.timescale((next - scheduleTime) / 1000), () => {
      this.cancels.delete(cancel);
      this.deps.fire(rule, scheduledEvent(rule, next, this.deps));
      this.arm(rule, schedule, next);
    });
    this.cancels.add(cancel);
  }
}

function scheduledEvent(rule: RuleDefinition, time: number, deps: ScheduledRuleDependencies): EventBridgeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: deps.account,
    time: eventTime(new Date(time)),
    region: deps.region,
    resources: [rule.arn],
    detail: {},
  };
}
