import type { awsServicePaths } from '../aws-api/service-paths';
import type { LineItem } from './prices';

/** One successful call of a local AWS API. */
export interface AwsApiCall {
  service: keyof typeof awsServicePaths;
  /** The JSON protocol's operation (`SendMessage`), or a REST call's method and path (`POST /v2/email/outbound-emails`). */
  operation: string;
  input: Record<string, unknown>;
  requestBytes: number;
  responseBytes: number;
}

const chunk = 64 * 1024;
const chunks = (bytes: number) => Math.max(1, Math.ceil(bytes / chunk));

/** What AWS bills for a call: SQS and EventBridge per 64 KB chunk, Secrets Manager per call, SES per recipient. */
export function awsApiUsage(call: AwsApiCall): Array<[LineItem, number]> {
  switch (call.service) {
    case 'sqs':
      return [['sqs.requests', chunks(Math.max(call.requestBytes, call.responseBytes))]];
    case 'events': {
      if (call.operation !== 'PutEvents') return [];
      const entries = (call.input.Entries as EventEntry[] | undefined) ?? [];
      return [['eventbridge.custom-events', entries.reduce((sum, entry) => sum + chunks(eventEntrySize(entry)), 0)]];
    }
    case 'secretsmanager':
      return [['secretsmanager.api-calls', 1]];
    case 'sesv2': {
      if (call.operation !== 'POST /v2/email/outbound-emails') return [];
      const destination = (call.input.Destination ?? {}) as Record<string, string[] | undefined>;
      const recipients = ['ToAddresses', 'CcAddresses', 'BccAddresses'].reduce(
        (sum, field) => sum + (destination[field]?.length ?? 0),
        0,
      );
      return [['ses.messages', Math.max(1, recipients)]];
    }
    case 'smsVoice':
      return call.operation === 'SendTextMessage' ? [['sms.messages', 1]] : [];
    case 'scheduler':
      // Scheduler bills invocations (metered where they are delivered), not its API.
      return [];
  }
}

interface EventEntry {
  Time?: unknown;
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
}

/** EventBridge's size of a PutEvents entry: 14 bytes for a Time, plus Source, DetailType, Detail and Resources. */
export function eventEntrySize(entry: EventEntry): number {
  return (
    (entry.Time === undefined ? 0 : 14) +
    Buffer.byteLength(entry.Source ?? '') +
    Buffer.byteLength(entry.DetailType ?? '') +
    Buffer.byteLength(entry.Detail ?? '') +
    (entry.Resources ?? []).reduce((sum, resource) => sum + Buffer.byteLength(resource), 0)
  );
}
