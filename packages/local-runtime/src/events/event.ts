/** An event as EventBridge delivers it to targets. */
export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 without milliseconds, as EventBridge writes it. */
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export function eventTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
