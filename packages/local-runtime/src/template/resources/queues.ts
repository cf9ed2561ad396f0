import type { Json } from '../intrinsics';
import { numberOr, type TemplateReader } from './reader';

export interface QueueDefinition {
  logicalId: string;
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  contentBasedDeduplication: boolean;
  visibilityTimeoutSeconds: number;
  delaySeconds: number;
  retentionSeconds: number;
  maxMessageSizeBytes: number;
  receiveWaitTimeSeconds: number;
  redrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number };
}

export const queuesOf = ({ each, text, attribute }: TemplateReader): QueueDefinition[] =>
  each('AWS::SQS::Queue', (logicalId, p) => ({
    logicalId,
    name: attribute(logicalId, 'QueueName'),
    url: text(logicalId),
    arn: attribute(logicalId, 'Arn'),
    fifo: p.FifoQueue === true || p.FifoQueue === 'true',
    contentBasedDeduplication: p.ContentBasedDeduplication === true || p.ContentBasedDeduplication === 'true',
    visibilityTimeoutSeconds: numberOr(p.VisibilityTimeout, 30),
    delaySeconds: numberOr(p.DelaySeconds, 0),
    retentionSeconds: numberOr(p.MessageRetentionPeriod, 345_600),
    maxMessageSizeBytes: numberOr(p.MaximumMessageSize, 262_144),
    receiveWaitTimeSeconds: numberOr(p.ReceiveMessageWaitTimeSeconds, 0),
    ...redrivePolicyOf(p.RedrivePolicy),
  }));

function redrivePolicyOf(value: Json | undefined): Pick<QueueDefinition, 'redrivePolicy'> {
  if (value === undefined || value === null) return {};
  const policy = (typeof value === 'string' ? JSON.parse(value) : value) as {
    deadLetterTargetArn: string;
    maxReceiveCount: number | string;
  };
  return {
    redrivePolicy: { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: Number(policy.maxReceiveCount) },
  };
}
