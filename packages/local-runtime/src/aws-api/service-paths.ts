/** Where each local AWS API lives under the runtime's server (functions reach them via AWS_ENDPOINT_URL_*). */
export const awsServicePaths = {
  sqs: '/__aws/sqs',
  events: '/__aws/events',
  secretsmanager: '/__aws/secretsmanager',
  scheduler: '/__aws/scheduler',
  sesv2: '/__aws/sesv2',
  smsVoice: '/__aws/sms-voice',
} as const;
