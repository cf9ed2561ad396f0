import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-api/aws-error';
import type { Clock, Timescale } from '../clock';
import { parseScheduleExpression, type Schedule } from '../events/schedule-expression';
import type { Json } from '../template/intrinsics';
import {
  type ScheduleDefinition,
  type ScheduleGroupDefinition,
  type ScheduleTargetDefinition,
  scheduleDefinitionOf,
} from '../template/resources/schedules';

export interface SchedulerDependencies {
  clock: Clock;
  timescale: Timescale;
  account: string;
  region: string;
  /** Hands a schedule's input to its target (Lambda asynchronously, SQS as a message); throws when it cannot. */
  deliver: (target: ScheduleTargetDefinition, input: string) => void;
  /** Sends a failed delivery to the schedule's dead-letter queue. */
  deadLetter: (queueArn: string, body: string, attributes: Record<string, string>) => void;
  log: (line: string) => void;
}

/** A schedule as `runtime.schedules()` shows it. */
export interface ScheduleInfo extends ScheduleDefinition {
  /** When it fires next (ISO, AWS time), if it is armed. */
  nextInvocation?: string;
  invocations: number;
  creationDate: string;
}

interface StoredSchedule {
  definition: ScheduleDefinition;
  expression: Schedule;
  createdAt: number;
  modifiedAt: number;
  invocations: number;
  armed?: { at: number; localAt: number; cancel: () => void };
}

const namePattern = /^[0-9a-zA-Z-_.]{1,64}$/;

/**
 * EventBridge Scheduler: schedules from the template and from the REST-JSON API, each firing its target when due.
 * Like the scheduled rules, a schedule keeps AWS time (its expression's instants) while the waits are scaled.
 */
export class Scheduler {
  private readonly groups: ScheduleGroupDefinition[];
  private readonly schedules = new Map<string, StoredSchedule>();
  private started = false;

  constructor(
    groups: ScheduleGroupDefinition[],
    private readonly initial: ScheduleDefinition[],
    private readonly deps: SchedulerDependencies,
  ) {
    this.groups = [...groups];
  }

  start(): void {
    this.started = true;
    for (const definition of this.initial) {
      try {
        this.add(definition);
      } catch (error) {
        this.deps.log(`[runtime] schedule ${definition.name} will not run: ${(error as Error).message}`);
      }
    }
  }

  stop(): void {
    this.started = false;
    for (const schedule of this.schedules.values()) schedule.armed?.cancel();
  }

  list(): ScheduleInfo[] {
    return [...this.schedules.values()].map((schedule) => ({
      ...schedule.definition,
      ...(schedule.armed ? { nextInvocation: new Date(schedule.armed.at).toISOString() } : {}),
      invocations: schedule.invocations,
      creationDate: new Date(schedule.createdAt).toISOString(),
    }));
  }

  /** Schedules whose time has come but whose delivery has not run yet (for `idle()`); future ones do not count. */
  due(): string[] {
    const now = this.deps.clock.now();
    return [...this.schedules.values()]
      .filter((schedule) => schedule.armed && schedule.armed.localAt <= now)
      .map((schedule) => `schedule ${schedule.definition.groupName}/${schedule.definition.name} due`);
  }

  /** The REST-JSON API: `path` is below the service's endpoint, e.g. `/schedules/name`. */
  handle(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): unknown {
    const input = body as Record<string, Json>;
    const [, collection, rawName, ...rest] = path.split('/');
    const name = rawName === undefined ? undefined : decodeURIComponent(rawName);
    if (collection === 'schedules' && rest.length === 0) {
      if (name === undefined || name === '') {
        if (method === 'GET') return this.listApi(query);
      } else if (method === 'POST') return { ScheduleArn: this.create(name, input).arn };
      else if (method === 'PUT') return { ScheduleArn: this.update(name, input).arn };
      else if (method === 'GET') return this.describe(this.find(name, query.get('groupName')));
      else if (method === 'DELETE') {
        this.remove(this.find(name, query.get('groupName')));
        return {};
      }
    }
    throw new AwsError('UnknownOperationException', `The local runtime does not implement Scheduler ${method} ${path}`);
  }

  private create(name: string, input: Record<string, Json>): ScheduleDefinition {
    const definition = this.validated(name, input);
    if (this.schedules.has(key(definition.groupName, name))) {
      throw new AwsError('ConflictException', `Schedule ${name} already exists.`, 409);
    }
    return this.add(definition).definition;
  }

  private update(name: string, input: Record<string, Json>): ScheduleDefinition {
    const definition = this.validated(name, input);
    const existing = this.find(name, definition.groupName);
    this.remove(existing);
    const updated = this.add(definition);
    updated.createdAt = existing.createdAt;
    updated.invocations = existing.invocations;
    return updated.definition;
  }

  private validated(name: string, input: Record<string, Json>): ScheduleDefinition {
    if (!namePattern.test(name)) throw validation(`Invalid schedule name ${name}.`);
    const groupName = typeof input.GroupName === 'string' && input.GroupName !== '' ? input.GroupName : 'default';
    const group = this.groups.find((candidate) => candidate.name === groupName);
    if (!group) throw new AwsError('ResourceNotFoundException', `Schedule group ${groupName} does not exist.`, 404);
    const target = input.Target as Record<string, Json> | undefined;
    if (typeof input.ScheduleExpression !== 'string') throw validation('ScheduleExpression is required.');
    if (!input.FlexibleTimeWindow) throw validation('FlexibleTimeWindow is required.');
    const window = input.FlexibleTimeWindow as Record<string, Json>;
    if (window.Mode === 'FLEXIBLE' && typeof window.MaximumWindowInMinutes !== 'number') {
      throw validation('MaximumWindowInMinutes is required when Mode is FLEXIBLE.');
    }
    if (typeof target?.Arn !== 'string' || typeof target.RoleArn !== 'string') {
      throw validation('Target with Arn and RoleArn is required.');
    }
    const arn = group.arn.replace(':schedule-group/', ':schedule/');
    const definition = scheduleDefinitionOf({ ...input, Name: name, GroupName: groupName, Arn: `${arn}/${name}` });
    try {
      parseScheduleExpression(definition.scheduleExpression, definition.timezone);
    } catch (error) {
      throw validation(`Invalid Schedule Expression ${definition.scheduleExpression}: ${(error as Error).message}.`);
    }
    return definition;
  }

  private add(definition: ScheduleDefinition): StoredSchedule {
    const now = this.deps.clock.now();
    const schedule: StoredSchedule = {
      definition,
      expression: parseScheduleExpression(definition.scheduleExpression, definition.timezone),
      createdAt: now,
      modifiedAt: now,
      invocations: 0,
    };
    this.schedules.set(key(definition.groupName, definition.name), schedule);
    if (definition.state === 'ENABLED' && this.started) this.arm(schedule, now, now);
    return schedule;
  }

  private remove(schedule: StoredSchedule): void {
    schedule.armed?.cancel();
    this.schedules.delete(key(schedule.definition.groupName, schedule.definition.name));
  }

  private find(name: string, groupName: string | null): StoredSchedule {
    const group = groupName || 'default';
    const schedule = this.schedules.get(key(group, name));
    if (!schedule) throw new AwsError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
    return schedule;
  }

  /**
   * Arms the next run after `awsTime`; `localNow` is the clock's time then. A one-time schedule in the past fires at
   * once, a rate() schedule with a future StartDate first fires then, and the flexible time window is not drawn
   * from: a schedule fires at the window's start.
   */
  private arm(schedule: StoredSchedule, awsTime: number, localNow: number): void {
    const { definition } = schedule;
    const kind = /^\s*(at|rate|cron)\(/.exec(definition.scheduleExpression)?.[1];
    const oneTime = kind === 'at';
    const notStarted = definition.startDate !== undefined && definition.startDate > awsTime;
    let next = oneTime
      ? schedule.invocations === 0
        ? schedule.expression.next(0)
        : undefined
      : notStarted && kind === 'rate'
        ? definition.startDate
        : schedule.expression.next(notStarted ? (definition.startDate as number) - 1 : awsTime);
    if (!oneTime && next !== undefined && definition.endDate !== undefined && next > definition.endDate) {
      next = undefined;
    }
    if (next === undefined) {
      this.completed(schedule);
      return;
    }
    const at = next;
    const localAt = localNow + Math.max(0, this.deps.timescale((at - awsTime) / 1000));
    const cancel = this.deps.clock.schedule(localAt - localNow, () => {
      schedule.armed = undefined;
      this.fire(schedule, at);
      if (this.schedules.get(key(definition.groupName, definition.name)) === schedule) {
        this.arm(schedule, at, this.deps.clock.now());
      }
    });
    schedule.armed = { at, localAt, cancel };
  }

  private completed(schedule: StoredSchedule): void {
    if (schedule.definition.actionAfterCompletion === 'DELETE') this.remove(schedule);
  }

  private fire(schedule: StoredSchedule, scheduledTime: number): void {
    const { definition } = schedule;
    const { target } = definition;
    const executionId = randomUUID();
    schedule.invocations += 1;
    const input = contextAttributes(target.input ?? (target.arn.includes(':lambda:') ? '{}' : ''), {
      'schedule-arn': definition.arn,
      'scheduled-time': new Date(scheduledTime).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'execution-id': executionId,
      'attempt-number': '1',
    });
    try {
      this.deps.deliver(target, input);
    } catch (error) {
      const message = (error as Error).message;
      if (!target.deadLetterArn) {
        this.deps.log(`[runtime] schedule ${definition.name} could not deliver to ${target.arn}: ${message}`);
        return;
      }
      try {
        this.deps.deadLetter(target.deadLetterArn, input, {
          ERROR_CODE: 'ResourceNotFoundException',
          ERROR_MESSAGE: message.slice(0, 1024),
          EXECUTION_ID: executionId,
          EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
          RETRY_ATTEMPTS: '0',
          SCHEDULE_ARN: definition.arn,
          TARGET_ARN: target.arn,
        });
      } catch (deadLetterError) {
        this.deps.log(`[runtime] schedule ${definition.name}: ${(deadLetterError as Error).message}`);
      }
    }
  }

  private describe(schedule: StoredSchedule): Record<string, unknown> {
    const { definition: d } = schedule;
    const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
    return {
      Arn: d.arn,
      Name: d.name,
      GroupName: d.groupName,
      ScheduleExpression: d.scheduleExpression,
      ScheduleExpressionTimezone: d.timezone,
      StartDate: seconds(d.startDate),
      EndDate: seconds(d.endDate),
      Description: d.description,
      State: d.state,
      ActionAfterCompletion: d.actionAfterCompletion,
      CreationDate: schedule.createdAt / 1000,
      LastModificationDate: schedule.modifiedAt / 1000,
      FlexibleTimeWindow: {
        Mode: d.flexibleTimeWindow.mode,
        MaximumWindowInMinutes: d.flexibleTimeWindow.maximumWindowInMinutes,
      },
      Target: {
        Arn: d.target.arn,
        RoleArn: d.target.roleArn,
        Input: d.target.input,
        RetryPolicy: {
          MaximumRetryAttempts: d.target.maximumRetryAttempts,
          MaximumEventAgeInSeconds: d.target.maximumEventAgeSeconds,
        },
        ...(d.target.deadLetterArn ? { DeadLetterConfig: { Arn: d.target.deadLetterArn } } : {}),
        ...(d.target.messageGroupId ? { SqsParameters: { MessageGroupId: d.target.messageGroupId } } : {}),
      },
    };
  }

  private listApi(query: URLSearchParams): unknown {
    const prefix = query.get('NamePrefix') ?? '';
    const group = query.get('ScheduleGroup');
    const state = query.get('State');
    const matching = [...this.schedules.values()]
      .filter(
        ({ definition }) =>
          definition.name.startsWith(prefix) &&
          (!group || definition.groupName === group) &&
          (!state || definition.state === state),
      )
      .sort((a, b) =>
        key(a.definition.groupName, a.definition.name).localeCompare(key(b.definition.groupName, b.definition.name)),
      );
    const start = Number(query.get('NextToken') ?? 0);
    const size = Number(query.get('MaxResults') ?? 100);
    const page = matching.slice(start, start + size);
    return {
      Schedules: page.map((schedule) => ({
        Arn: schedule.definition.arn,
        Name: schedule.definition.name,
        GroupName: schedule.definition.groupName,
        State: schedule.definition.state,
        CreationDate: schedule.createdAt / 1000,
        LastModificationDate: schedule.modifiedAt / 1000,
        Target: { Arn: schedule.definition.target.arn },
      })),
      ...(start + size < matching.length ? { NextToken: String(start + size) } : {}),
    };
  }
}

function key(groupName: string, name: string): string {
  return `${groupName}/${name}`;
}

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** Scheduler replaces `<aws.scheduler.*>` context attributes in a target's input. */
function contextAttributes(input: string, values: Record<string, string>): string {
  return input.replace(/<aws\.scheduler\.([a-z-]+)>/g, (whole, name: string) => values[name] ?? whole);
}
