import type { Json } from '../intrinsics';
import { busNameOf } from '../physical-ids';
import { numberOr, type TemplateReader } from './reader';

export interface BusDefinition {
  logicalId: string;
  name: string;
  arn: string;
}

export interface RuleDefinition {
  logicalId: string;
  name: string;
  arn: string;
  busName: string;
  eventPattern?: unknown;
  scheduleExpression?: string;
  enabled: boolean;
  targets: TargetDefinition[];
}

export interface TargetDefinition {
  id: string;
  arn: string;
  input?: string;
  inputPath?: string;
  inputTransformer?: { inputPathsMap: Record<string, string>; inputTemplate: string };
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  deadLetterArn?: string;
  messageGroupId?: string;
}

export const busesOf = ({ each, text, attribute }: TemplateReader): BusDefinition[] =>
  each('AWS::Events::EventBus', (logicalId) => ({
    logicalId,
    name: text(logicalId),
    arn: attribute(logicalId, 'Arn'),
  }));

export const rulesOf = ({ each, text, attribute }: TemplateReader): RuleDefinition[] =>
  each('AWS::Events::Rule', (logicalId, p) => {
    const name = text(logicalId);
    return {
      logicalId,
      name: name.includes('|') ? name.slice(name.indexOf('|') + 1) : name,
      arn: attribute(logicalId, 'Arn'),
      busName: typeof p.EventBusName === 'string' ? busNameOf(p.EventBusName) : 'default',
      ...(p.EventPattern !== undefined
        ? { eventPattern: typeof p.EventPattern === 'string' ? JSON.parse(p.EventPattern) : p.EventPattern }
        : {}),
      ...(typeof p.ScheduleExpression === 'string' ? { scheduleExpression: p.ScheduleExpression } : {}),
      enabled: p.State === undefined || p.State === 'ENABLED',
      targets: ((p.Targets as Array<Record<string, Json>> | undefined) ?? []).map(targetOf),
    };
  });

function targetOf(target: Record<string, Json>): TargetDefinition {
  const retry = (target.RetryPolicy ?? {}) as Record<string, Json>;
  const transformer = target.InputTransformer as { InputPathsMap?: Record<string, string>; InputTemplate: string };
  const deadLetter = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
  const messageGroupId = (target.SqsParameters as { MessageGroupId?: string } | undefined)?.MessageGroupId;
  return {
    id: String(target.Id),
    arn: String(target.Arn),
    ...(typeof target.Input === 'string' ? { input: target.Input } : {}),
    ...(typeof target.InputPath === 'string' ? { inputPath: target.InputPath } : {}),
    ...(transformer
      ? {
          inputTransformer: {
            inputPathsMap: transformer.InputPathsMap ?? {},
            inputTemplate: transformer.InputTemplate,
          },
        }
      : {}),
    maximumRetryAttempts: numberOr(retry.MaximumRetryAttempts, 185),
    maximumEventAgeSeconds: numberOr(retry.MaximumEventAgeInSeconds, 86_400),
    ...(deadLetter ? { deadLetterArn: deadLetter } : {}),
    ...(messageGroupId ? { messageGroupId } : {}),
  };
}
