import { beforeEach, describe, expect, it } from 'vitest';
import { AwsError } from '../src/aws-api/aws-error';
import { timescale } from '../src/clock';
import { Scheduler } from '../src/scheduler/scheduler';
import type { Json } from '../src/template/intrinsics';
import { type ScheduleTargetDefinition, scheduleDefinitionOf } from '../src/template/resources/schedules';
import { FakeClock } from './support/fake-clock';

const lambdaArn = 'arn:aws:lambda:us-east-1:000000000000:function:Fixture-Remind';
const queueArn = 'arn:aws:sqs:us-east-1:000000000000:Fixture-Work';
const dlqArn = 'arn:aws:sqs:us-east-1:000000000000:Fixture-SchedulerDlq';
const groups = [
  { name: 'default', arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule-group/default' },
  { name: 'reminders', arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule-group/reminders' },
];
const minute = 60_000;

let clock: FakeClock;
let delivered: Array<{ target: ScheduleTargetDefinition; input: string }>;
let deadLettered: Array<{ queueArn: string; body: string; attributes: Record<string, string> }>;
let failing: Set<string>;
let scheduler: Scheduler;

function startScheduler(initial: Parameters<typeof scheduleDefinitionOf>[0][] = []) {
  scheduler = new Scheduler(groups, initial.map(scheduleDefinitionOf), {
    clock,
    // AWS's minutes pass in 0.6 s.
    timescale: timescale(0.01),
    account: '000000000000',
    region: 'us-east-1',
    deliver: (target, input) => {
      if (failing.has(target.arn)) throw new Error(`Function not found: ${target.arn}`);
      delivered.push({ target, input });
    },
    deadLetter: (queue, body, attributes) => deadLettered.push({ queueArn: queue, body, attributes }),
    log: () => {},
  });
  scheduler.start();
}

const create = (name: string, input: Record<string, Json>) =>
  scheduler.handle('POST', `/schedules/${name}`, new URLSearchParams(), {
    FlexibleTimeWindow: { Mode: 'OFF' },
    ...input,
    Target: { RoleArn: 'arn:aws:iam::000000000000:role/scheduler', Arn: lambdaArn, ...(input.Target as object) },
  });
const apiError = (call: () => unknown) => {
  try {
    call();
  } catch (error) {
    if (error instanceof AwsError) return { code: error.code, status: error.statusCode, message: error.message };
  }
  throw new Error('expected an AwsError');
};

beforeEach(() => {
  clock = new FakeClock(Date.UTC(2030, 0, 1, 8, 0));
  delivered = [];
  deadLettered = [];
  failing = new Set();
});

describe('Scheduler', () => {
  it('fires a one-time schedule when its (scaled) time comes, with context attributes in the input', async () => {
    startScheduler();
    const created = create('remind-1', {
      ScheduleExpression: 'at(2030-01-01T10:00:00)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: { Input: '{"id":"1","at":"<aws.scheduler.scheduled-time>","by":"<aws.scheduler.schedule-arn>"}' },
    });
    const arn = 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/remind-1';
    expect(created).toEqual({ ScheduleArn: arn });
    expect(scheduler.list()[0]?.nextInvocation).toBe('2030-01-01T09:00:00.000Z');

    // 09:00Z is an hour of AWS time away: 36 s at this scale.
    await clock.advance(35_999);
    expect(delivered).toEqual([]);
    await clock.advance(1);
    expect(delivered).toEqual([
      {
        target: expect.objectContaining({ arn: lambdaArn }),
        input: `{"id":"1","at":"2030-01-01T09:00:00Z","by":"${arn}"}`,
      },
    ]);
    expect(scheduler.list()).toEqual([expect.objectContaining({ name: 'remind-1', invocations: 1 })]);
    expect(scheduler.list()[0]?.nextInvocation).toBeUndefined();
  });

  it('deletes a completed schedule when ActionAfterCompletion is DELETE', async () => {
    startScheduler();
    create('once', { ScheduleExpression: 'at(2030-01-01T08:10:00)', ActionAfterCompletion: 'DELETE' });
    await clock.advance(6_000);
    expect(delivered).toHaveLength(1);
    expect(scheduler.list()).toEqual([]);
    expect(apiError(() => scheduler.handle('GET', '/schedules/once', new URLSearchParams(), {}))).toEqual({
      code: 'ResourceNotFoundException',
      status: 404,
      message: 'Schedule once does not exist.',
    });
  });

  it('fires a one-time schedule in the past at once, and sends the default {} to a Lambda target', async () => {
    startScheduler();
    create('late', { ScheduleExpression: 'at(2029-12-31T00:00:00)' });
    expect(scheduler.due()).toEqual(['schedule default/late due']);
    await clock.advance(0);
    expect(delivered.map(({ input }) => input)).toEqual(['{}']);
    expect(scheduler.due()).toEqual([]);
  });

  it('reports only due schedules as busy, not future ones', async () => {
    startScheduler();
    create('later', { ScheduleExpression: 'at(2030-06-01T00:00:00)' });
    expect(scheduler.due()).toEqual([]);
  });

  it('repeats rate() schedules, between StartDate and EndDate, and delivers to SQS with the message group', async () => {
    startScheduler();
    create('poll', {
      ScheduleExpression: 'rate(10 minutes)',
      StartDate: Date.UTC(2030, 0, 1, 8, 30) / 1000,
      EndDate: Date.UTC(2030, 0, 1, 8, 55) / 1000,
      Target: { Arn: queueArn, Input: 'tick', SqsParameters: { MessageGroupId: 'g1' } },
    });
    await clock.advance(60 * 600);
    // 08:30 (the StartDate), 08:40 and 08:50; 09:00 is past the EndDate.
    expect(delivered.map(({ input }) => input)).toEqual(['tick', 'tick', 'tick']);
    expect(delivered[0]?.target.messageGroupId).toBe('g1');
    expect(scheduler.list()[0]).toMatchObject({ name: 'poll', invocations: 3 });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('sends the input of a delivery that fails to the dead-letter queue, with Scheduler attributes', async () => {
    startScheduler();
    failing.add(lambdaArn);
    create('broken', {
      ScheduleExpression: 'at(2030-01-01T08:01:00)',
      Target: { Input: '{"n":1}', DeadLetterConfig: { Arn: dlqArn } },
    });
    await clock.advance(minute);
    expect(deadLettered).toEqual([
      {
        queueArn: dlqArn,
        body: '{"n":1}',
        attributes: expect.objectContaining({
          ERROR_MESSAGE: `Function not found: ${lambdaArn}`,
          SCHEDULE_ARN: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/broken',
          TARGET_ARN: lambdaArn,
        }),
      },
    ]);
  });

  it('answers the API errors AWS answers', () => {
    startScheduler();
    create('dup', { ScheduleExpression: 'rate(1 hour)' });
    expect(apiError(() => create('dup', { ScheduleExpression: 'rate(1 hour)' }))).toMatchObject({
      code: 'ConflictException',
      status: 409,
    });
    // The same name in another group is another schedule.
    create('dup', { ScheduleExpression: 'rate(1 hour)', GroupName: 'reminders' });
    expect(apiError(() => create('x', { ScheduleExpression: 'rate(1 hour)', GroupName: 'nope' }))).toMatchObject({
      code: 'ResourceNotFoundException',
      message: 'Schedule group nope does not exist.',
    });
    expect(apiError(() => create('x', { ScheduleExpression: 'every(1 hour)' }))).toMatchObject({
      code: 'ValidationException',
      status: 400,
    });
    expect(
      apiError(() => create('x', { ScheduleExpression: 'at(2030-01-01T00:00:00)', ScheduleExpressionTimezone: 'X/Y' })),
    ).toMatchObject({ code: 'ValidationException' });
    expect(apiError(() => create('bad name', { ScheduleExpression: 'rate(1 hour)' }))).toMatchObject({
      code: 'ValidationException',
    });
    expect(
      apiError(() => scheduler.handle('DELETE', '/schedules/dup', new URLSearchParams('groupName=other'), {})),
    ).toMatchObject({ code: 'ResourceNotFoundException' });
  });

  it('gets, lists (by prefix, group and page) and deletes schedules', async () => {
    startScheduler();
    create('a-1', { ScheduleExpression: 'rate(1 hour)' });
    create('a-2', { ScheduleExpression: 'rate(1 hour)', GroupName: 'reminders', State: 'DISABLED' });
    create('b-1', { ScheduleExpression: 'cron(0 9 * * ? *)', Target: { Input: 'b' } });
    const list = (query: string) => scheduler.handle('GET', '/schedules', new URLSearchParams(query), {}) as Json;
    const names = (query: string) =>
      ((list(query) as { Schedules: Array<{ Name: string }> }).Schedules ?? []).map((s) => s.Name);
    expect(names('NamePrefix=a-')).toEqual(['a-1', 'a-2']);
    expect(names('ScheduleGroup=reminders')).toEqual(['a-2']);
    expect(names('State=ENABLED')).toEqual(['a-1', 'b-1']);
    expect(list('MaxResults=2')).toMatchObject({ NextToken: '2' });
    expect(names('MaxResults=2&NextToken=2')).toEqual(['a-2']);
    expect(scheduler.handle('GET', '/schedules/a-2', new URLSearchParams('groupName=reminders'), {})).toMatchObject({
      Name: 'a-2',
      GroupName: 'reminders',
      State: 'DISABLED',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'NONE',
      CreationDate: clock.now() / 1000,
      Target: { Arn: lambdaArn, RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 } },
    });
    expect(scheduler.handle('DELETE', '/schedules/a-1', new URLSearchParams(), {})).toEqual({});
    expect(scheduler.list().map((schedule) => schedule.name)).toEqual(['a-2', 'b-1']);
    // By 10:00 only b-1 has fired: a-2 is disabled and a-1 (due at 09:00 too) was deleted.
    await clock.advance(72_000);
    expect(delivered.map(({ input }) => input)).toEqual(['b']);
  });

  it('rearms an updated schedule, keeping its creation date', async () => {
    startScheduler();
    create('moving', { ScheduleExpression: 'at(2030-01-01T09:00:00)' });
    await clock.advance(6_000);
    scheduler.handle('PUT', '/schedules/moving', new URLSearchParams(), {
      ScheduleExpression: 'at(2030-01-01T08:20:00)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: queueArn, RoleArn: 'arn:aws:iam::000000000000:role/scheduler', Input: 'moved' },
    });
    expect(scheduler.list()[0]).toMatchObject({
      nextInvocation: '2030-01-01T08:20:00.000Z',
      creationDate: '2030-01-01T08:00:00.000Z',
    });
    await clock.advance(36_000);
    expect(delivered.map(({ input }) => input)).toEqual(['moved']);
    expect(
      apiError(() =>
        scheduler.handle('PUT', '/schedules/ghost', new URLSearchParams(), {
          ScheduleExpression: 'rate(1 hour)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: queueArn, RoleArn: 'r' },
        }),
      ),
    ).toMatchObject({ code: 'ResourceNotFoundException' });
  });

  it('runs the schedules of the template from the start', async () => {
    startScheduler([
      {
        Name: 'Fixture-Nightly',
        Arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/reminders/Fixture-Nightly',
        GroupName: 'reminders',
        ScheduleExpression: 'cron(0 9 * * ? *)',
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
        Target: { Arn: queueArn, RoleArn: 'arn:aws:iam::000000000000:role/r', Input: 'nightly' },
        StartDate: '2030-01-01T00:00:00Z',
      },
    ]);
    expect(scheduler.list()).toEqual([
      expect.objectContaining({
        name: 'Fixture-Nightly',
        groupName: 'reminders',
        flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 15 },
        nextInvocation: '2030-01-01T09:00:00.000Z',
      }),
    ]);
    await clock.advance(36_000);
    expect(delivered.map(({ input }) => input)).toEqual(['nightly']);
    expect(scheduler.list()[0]?.nextInvocation).toBe('2030-01-02T09:00:00.000Z');
  });
});
