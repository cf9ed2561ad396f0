import type { Json } from '../intrinsics';
import type { StackTemplate } from '../stack-template';
import { numberOr, type TemplateReader } from './reader';

export interface ScheduleGroupDefinition {
  name: string;
  arn: string;
}

/** An EventBridge Scheduler schedule, from the template or created through the API. */
export interface ScheduleDefinition {
  name: string;
  groupName: string;
  arn: string;
  scheduleExpression: string;
  timezone: string;
  /** Epoch ms. */
  startDate?: number;
  endDate?: number;
  flexibleTimeWindow: { mode: 'OFF' | 'FLEXIBLE'; maximumWindowInMinutes?: number };
  target: ScheduleTargetDefinition;
  actionAfterCompletion: 'DELETE' | 'NONE';
  state: 'ENABLED' | 'DISABLED';
  description?: string;
}
export interface ScheduleTargetDefinition {
  arn: string;
  roleArn: string;
  input?: string;
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  deadLetterArn?: string;
  messageGroupId?: string;
}

export const scheduleGroupsOf = ({ template, each, text, attribute }: TemplateReader): ScheduleGroupDefinition[] => [
  { name: 'default', arn: `${schedulerArnPrefix(template)}:schedule-group/default` },
  ...each('AWS::Scheduler::ScheduleGroup', (logicalId) => ({
    name: text(logicalId),
    arn: attribute(logicalId, 'Arn'),
  })),
];

export const schedulesOf = ({ each, text, attribute }: TemplateReader): ScheduleDefinition[] =>
  each('AWS::Scheduler::Schedule', (logicalId, p) =>
    scheduleDefinitionOf({ ...p, Name: text(logicalId), Arn: attribute(logicalId, 'Arn') }),
  );

function schedulerArnPrefix(template: StackTemplate): string {
  return `arn:aws:scheduler:${template.naming.region}:${template.naming.account}`;
}

/**
 * A schedule from its CloudFormation properties or a CreateSchedule request (the same names), with `Name` and `Arn`
 * set; dates are ISO strings (template) or epoch seconds (API).
 */
export function scheduleDefinitionOf(p: Record<string, Json>): ScheduleDefinition {
  const target = (p.Target ?? {}) as Record<string, Json>;
  const retry = (target.RetryPolicy ?? {}) as Record<string, Json>;
  const window = (p.FlexibleTimeWindow ?? {}) as Record<string, Json>;
  const deadLetter = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
  const groupId = (target.SqsParameters as { MessageGroupId?: string } | undefined)?.MessageGroupId;
  const date = (value: Json | undefined) =>
    value === undefined || value === null
      ? undefined
      : typeof value === 'number'
        ? value * 1000
        : Date.parse(String(value));
  const startDate = date(p.StartDate);
  const endDate = date(p.EndDate);
  return {
    name: String(p.Name),
    groupName: typeof p.GroupName === 'string' && p.GroupName !== '' ? p.GroupName : 'default',
    arn: String(p.Arn),
    scheduleExpression: String(p.ScheduleExpression ?? ''),
    timezone: typeof p.ScheduleExpressionTimezone === 'string' ? p.ScheduleExpressionTimezone : 'UTC',
    ...(startDate !== undefined ? { startDate } : {}),
    ...(endDate !== undefined ? { endDate } : {}),
    flexibleTimeWindow: {
      mode: window.Mode === 'FLEXIBLE' ? 'FLEXIBLE' : 'OFF',
      ...(window.MaximumWindowInMinutes !== undefined
        ? { maximumWindowInMinutes: Number(window.MaximumWindowInMinutes) }
        : {}),
    },
    target: {
      arn: String(target.Arn ?? ''),
      roleArn: String(target.RoleArn ?? ''),
      ...(typeof target.Input === 'string' ? { input: target.Input } : {}),
      maximumRetryAttempts: numberOr(retry.MaximumRetryAttempts, 185),
      maximumEventAgeSeconds: numberOr(retry.MaximumEventAgeInSeconds, 86_400),
      ...(deadLetter ? { deadLetterArn: deadLetter } : {}),
      ...(groupId ? { messageGroupId: groupId } : {}),
    },
    actionAfterCompletion: p.ActionAfterCompletion === 'DELETE' ? 'DELETE' : 'NONE',
    state: p.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    ...(typeof p.Description === 'string' ? { description: p.Description } : {}),
  };
}
