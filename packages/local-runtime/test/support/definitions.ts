import type { QueueDefinition } from '../../src/template/resources/queues';

export function queueDefinition(name: string, overrides: Partial<QueueDefinition> = {}): QueueDefinition {
  return {
    logicalId: name,
    name,
    url: `http://127.0.0.1:3000/__aws/sqs/000000000000/${name}`,
    arn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
    fifo: false,
    contentBasedDeduplication: false,
    visibilityTimeoutSeconds: 30,
    delaySeconds: 0,
    retentionSeconds: 345_600,
    maxMessageSizeBytes: 262_144,
    receiveWaitTimeSeconds: 0,
    ...overrides,
  };
}
