/**
 * What AWS charges for each operation the meter counts, on-demand in us-east-1, without free tiers (they are per
 * account, not per response). Each price names where it was read and when; `note` says what the figure assumes or
 * where the search did not find it. Every price is in dollars for one `unit`.
 */
export interface Price {
  awsService: string;
  description: string;
  unit: string;
  usd: number;
  region: string;
  /** When the source was read (ISO date). */
  date: string;
  source: string;
  note?: string;
}

const region = 'us-east-1';
const date = '2026-12-07';

export const prices = {
  'apigateway.http-requests': {
    awsService: 'API Gateway',
    description: 'HTTP API requests (metered in 512 KB increments)',
    unit: 'request',
    usd: 1.0 / 1e6,
    region,
    date,
    source: 'https://awsforengineers.com/blog/aws-api-gateway-pricing-explained',
    note: '$1.00 per million for the first 300 million a month; 512 KB metering from https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html',
  },
  'lambda.requests': {
    awsService: 'Lambda',
    description: 'Lambda requests',
    unit: 'request',
    usd: 0.2 / 1e6,
    region,
    date,
    source: 'https://aws.amazon.com/lambda/pricing/',
    note: 'the search returned the page without its request price; $0.20 per million is the figure that page publishes',
  },
  'lambda.gb-seconds-arm': {
    awsService: 'Lambda',
    description: 'Lambda duration, Arm (GB-seconds)',
    unit: 'GB-second',
    usd: 0.0000133334,
    region,
    date,
    source: 'https://cloudchipr.com/blog/aws-lambda-pricing',
    note: 'first 7.5 billion GB-seconds a month; billed per started millisecond',
  },
  'lambda.gb-seconds-x86': {
    awsService: 'Lambda',
    description: 'Lambda duration, x86 (GB-seconds)',
    unit: 'GB-second',
    usd: 0.0000166667,
    region,
    date,
    source: 'https://cloudchipr.com/blog/aws-lambda-pricing',
    note: 'first 6 billion GB-seconds a month',
  },
  'dynamodb.write-request-units': {
    awsService: 'DynamoDB',
    description: 'DynamoDB on-demand write request units',
    unit: 'write request unit',
    usd: 0.625 / 1e6,
    region,
    date,
    source: 'https://airbyte.com/data-engineering-resources/dynamodb-pricing',
    note: 'after the November 2024 price cut (was $1.25 per million)',
  },
  'dynamodb.read-request-units': {
    awsService: 'DynamoDB',
    description: 'DynamoDB on-demand read request units',
    unit: 'read request unit',
    usd: 0.125 / 1e6,
    region,
    date,
    source: 'https://airbyte.com/data-engineering-resources/dynamodb-pricing',
    note: 'after the November 2024 price cut (was $0.25 per million)',
  },
  'eventbridge.custom-events': {
    awsService: 'EventBridge',
    description: 'EventBridge custom events (each 64 KB chunk of an entry)',
    unit: 'event',
    usd: 1.0 / 1e6,
    region,
    date,
    source: 'https://cloudburn.io/blog/amazon-eventbridge-pricing',
    note: 'delivery to targets in the same account is free',
  },
  'scheduler.invocations': {
    awsService: 'EventBridge Scheduler',
    description: 'EventBridge Scheduler invocations',
    unit: 'invocation',
    usd: 1.0 / 1e6,
    region,
    date,
    source: 'https://cloudburn.io/blog/amazon-eventbridge-pricing',
    note: 'after 14 million free invocations a month',
  },
  'sqs.requests': {
    awsService: 'SQS',
    description: 'SQS standard queue requests (each 64 KB chunk of a payload)',
    unit: 'request',
    usd: 0.4 / 1e6,
    region,
    date,
    source: 'https://cloudburn.io/blog/amazon-sqs-pricing',
    note: 'first 100 billion a month; 64 KB chunks per https://unanswered.io/guide/aws-sqs-pricing-and-cost-optimization',
  },
  'secretsmanager.api-calls': {
    awsService: 'Secrets Manager',
    description: 'Secrets Manager API calls',
    unit: 'call',
    usd: 0.05 / 1e4,
    region,
    date,
    source: 'https://hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials-kms',
    note: 'plus $0.40 per secret a month, not per response',
  },
  'ses.messages': {
    awsService: 'SES',
    description: 'SES outbound e-mail (per recipient)',
    unit: 'message',
    usd: 0.1 / 1000,
    region,
    date,
    source: 'https://www.acecloudinterviews.com/tutorials/aws/ses/',
  },
  'sms.messages': {
    awsService: 'End User Messaging SMS',
    description: 'SMS sent (per text; parts and country not modelled)',
    unit: 'text',
    usd: 0.00581,
    region,
    date,
    source: 'https://aws.amazon.com/end-user-messaging/pricing/',
    note: 'the search found no per-part price: $0.00581 is the US base price per part as published there (without carrier fees); the price depends on the destination country and a Russian text is two parts',
  },
  'cloudwatch.logs-ingested-gb': {
    awsService: 'CloudWatch',
    description: 'CloudWatch Logs ingestion, Standard log class (GB)',
    unit: 'GB',
    usd: 0.5,
    region,
    date,
    source: 'https://c3x.dev/blog/cloudwatch-logs-cost-optimization',
    note: 'Infrequent Access is $0.25/GB but extracts no EMF metrics and cannot feed metric filters; EMF lines are billed as ingestion here (their custom metrics cost per metric-month, not per response); a GB is 2^30 bytes of log messages',
  },
  'xray.traces-recorded': {
    awsService: 'X-Ray',
    description: 'X-Ray traces recorded',
    unit: 'trace',
    usd: 5.0 / 1e6,
    region,
    date,
    source: 'https://aws.amazon.com/xray/pricing/',
  },
} as const satisfies Record<string, Price>;

export type LineItem = keyof typeof prices;

/**
 * The default X-Ray sampling rule records the first request each second and 5 % of the rest
 * (https://oneuptime.com/blog/post/2026-02-12-xray-sampling-rules/view): the meter counts 5 % of a traced function's
 * invocations, ignoring the reservoir, which matters only below a few requests a second.
 */
export const xraySampledShare = 0.05;

/**
 * Lambda's SQS event source polls each queue with long polls (20 s, the longest wait) even when it is empty; with
 * five pollers per mapping (Lambda starts "five batches at a time", https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html),
 * an idle mapping makes 5 × 3 receives a minute.
 */
export const sqsPollers = { perMapping: 5, waitSeconds: 20 } as const;
