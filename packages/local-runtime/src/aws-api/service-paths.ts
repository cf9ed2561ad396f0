/** Where each local AWS API lives under the runtime's server (functions reach them via AWS_ENDPOINT_URL_*). */
export const awsServicePaths = {
  sqs: '/__aws/sqs',
  events: '/__aws/events',
  secretsmanager: '/__aws/secretsmanager',
  scheduler: '/__aws/scheduler',
  sesv2: '/__aws/sesv2',
  smsVoice: '/__aws/sms-voice',
} as const;

const callerPrefix = /^\/__aws\/fn\/([^/]+)(\/.*)$/;

/** The path a function's SDK client calls a service at: `/__aws/fn/<function>/sqs`, so the meter knows the caller. */
export function callerServicePath(servicePath: string, functionName: string): string {
  return servicePath.replace(/^\/__aws/, `/__aws/fn/${encodeURIComponent(functionName)}`);
}

/** The service path without the caller's segment, and the caller (undefined for a call without one). */
export function withoutCaller(path: string): { path: string; caller?: string } {
  const match = callerPrefix.exec(path);
  return match ? { path: `/__aws${match[2]}`, caller: decodeURIComponent(match[1] as string) } : { path };
}
