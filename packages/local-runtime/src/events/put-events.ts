import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-api/aws-error';
import { busNameOf } from '../template/physical-ids';
import { type EventBridgeEvent, eventTime } from './event';

export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  /** Epoch seconds in the JSON protocol. */
  Time?: number | string;
  TraceHeader?: string;
}

export type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** 256 KB, the PutEvents limit on the entries of one request. */
const maxRequestBytes = 256 * 1024;

/** Checks the request as a whole, as PutEvents does before looking at entries. */
export function validatePutEventsRequest(entries: unknown): asserts entries is PutEventsEntry[] {
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
    const count = Array.isArray(entries) ? entries.length : 0;
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${count}' at 'entries' failed to satisfy constraint: Member must have length ${count === 0 ? 'greater than or equal to 1' : 'less than or equal to 10'}`,
    );
  }
  const size = entries.reduce<number>((total, entry) => total + entrySize(entry as PutEventsEntry), 0);
  if (size > maxRequestBytes) {
    throw new AwsError('ValidationException', 'Total size of the entries in the request is over the limit.');
  }
}

/** Size of an entry as EventBridge counts it (UTF-8 bytes of its fields, 14 for a Time). */
export function entrySize(entry: PutEventsEntry): number {
  const bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));
  return (
    (entry.Time !== undefined ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((total, resource) => total + bytes(resource), 0)
  );
}

/**
 * Turns one entry into the event EventBridge delivers, or into the entry error PutEvents reports for it.
 */
export function buildEvent(
  entry: PutEventsEntry,
  context: { account: string; region: string; now: Date },
): { event: EventBridgeEvent; busName: string } | { error: { ErrorCode: string; ErrorMessage: string } } {
  const invalid = (parameter: string, reason: string) => ({
    error: { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}` },
  });
  if (!entry.Source) return invalid('Source', 'Source is a required argument.');
  if (!entry.DetailType) return invalid('DetailType', 'DetailType is a required argument.');
  if (entry.Detail === undefined || entry.Detail === '') return invalid('Detail', 'Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    return { error: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } };
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return { error: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } };
  }
  let time = context.now;
  if (entry.Time !== undefined) {
    time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date(entry.Time);
    if (Number.isNaN(time.getTime())) return invalid('Time', 'Time is not a valid timestamp.');
  }
  return {
    busName: busNameOf(entry.EventBusName || 'default'),
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: context.account,
      time: eventTime(time),
      region: context.region,
      resources: entry.Resources ?? [],
      detail,
    },
  };
}
