import { createHash } from 'node:crypto';
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import * as z from 'zod';

/**
 * SLA timers as EventBridge Scheduler one-time schedules: one per (case, SLA period, escalation level), named
 * deterministically so that arming the same timer twice collides instead of doubling it, deleted after it ran.
 */

export interface SlaTimerRequest {
  caseId: string;
  /** The case's SLA period (its reopen count). */
  period: number;
  level: number;
  /** The deadline the timer belongs to. */
  dueAt: string;
  /** When the timer should fire. */
  fireAt: string;
}

export interface SlaTimers {
  /** Arms a timer; arming one that exists is a no-op. */
  arm(timer: SlaTimerRequest, now: Date): Promise<void>;
  /** Disarms a timer; disarming one that does not exist (it ran, or never was) is a no-op. */
  disarm(timer: Pick<SlaTimerRequest, 'caseId' | 'period' | 'level'>): Promise<void>;
}

/** What the SlaTimer function receives: the Input of the schedule, with Scheduler's scheduled time filled in. */
export const slaTimerInputSchema = z.object({
  caseId: z.string().min(1),
  dueAt: z.iso.datetime({ offset: true }),
  level: z.number().int().positive(),
  period: z.number().int().nonnegative().default(0),
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});
export type SlaTimerInput = z.infer<typeof slaTimerInputSchema>;

/** `sla-<32 base64url characters of the case id's SHA-256>-<period>-<level>`: within Scheduler's 64 characters. */
export function slaScheduleName(timer: Pick<SlaTimerRequest, 'caseId' | 'period' | 'level'>): string {
  const digest = createHash('sha256').update(timer.caseId).digest('base64url').slice(0, 32);
  return `sla-${digest}-${timer.period}-${timer.level}`;
}

/** Scheduler's precision is a minute, and a time in the past is no use: never earlier than a minute from now. */
export const MIN_LEAD_MS = 60_000;

/** The `at()` expression (UTC, whole seconds rounded up) for a timer due at `fireAt`, at least a minute ahead. */
export function atExpression(fireAt: string, now: Date): string {
  const at = Math.max(Date.parse(fireAt), now.getTime() + MIN_LEAD_MS);
  const rounded = new Date(Math.ceil(at / 1000) * 1000).toISOString();
  return `at(${rounded.slice(0, 19)})`;
}

export interface SchedulerSlaTimersConfig {
  groupName: string;
  /** The SlaTimer function. */
  targetArn: string;
  /** The role Scheduler assumes to invoke it. */
  roleArn: string;
  /** Where Scheduler puts an invocation it could not make. */
  deadLetterArn?: string;
}

const isNamed = (error: unknown, name: string) => error instanceof Error && error.name === name;

async function deleteSchedule(client: SchedulerClient, groupName: string, name: string): Promise<void> {
  try {
    await client.send(new DeleteScheduleCommand({ Name: name, GroupName: groupName }));
  } catch (error) {
    if (!isNamed(error, 'ResourceNotFoundException')) throw error;
  }
}

/** Only disarming, for callers that never arm a timer (the admin API). */
export function schedulerSlaTimerDisarmer(
  groupName: string,
  client = new SchedulerClient({}),
): Pick<SlaTimers, 'disarm'> {
  return { disarm: (timer) => deleteSchedule(client, groupName, slaScheduleName(timer)) };
}

export function schedulerSlaTimers(config: SchedulerSlaTimersConfig, client = new SchedulerClient({})): SlaTimers {
  return {
    async arm(timer, now) {
      const input = {
        caseId: timer.caseId,
        dueAt: timer.dueAt,
        level: timer.level,
        period: timer.period,
        scheduledTime: '<aws.scheduler.scheduled-time>',
      };
      try {
        await client.send(
          new CreateScheduleCommand({
            Name: slaScheduleName(timer),
            GroupName: config.groupName,
            Description: `SLA escalation level ${timer.level} of a follow-up case`,
            ScheduleExpression: atExpression(timer.fireAt, now),
            ScheduleExpressionTimezone: 'UTC',
            FlexibleTimeWindow: { Mode: 'OFF' },
            ActionAfterCompletion: 'DELETE',
            Target: {
              Arn: config.targetArn,
              RoleArn: config.roleArn,
              Input: JSON.stringify(input),
              RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
              ...(config.deadLetterArn ? { DeadLetterConfig: { Arn: config.deadLetterArn } } : {}),
            },
          }),
        );
      } catch (error) {
        if (!isNamed(error, 'ConflictException')) throw error;
      }
    },

    disarm: (timer) => deleteSchedule(client, config.groupName, slaScheduleName(timer)),
  };
}
