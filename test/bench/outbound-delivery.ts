/**
 * Delivery figures of the follow-up outbound queue: 1,000 Slack and webhook jobs through the local runtime (the
 * synthesized app: queue, sender, DLQ, DynamoDB Local), to a local receiver that fails 10% of requests at random with
 * a transient 503. Prints what was sent, what the receiver got (unique, duplicates, lost), attempts, DLQ depth, wall
 * time and throughput.
 *
 * Usage: npm run bench:outbound [-- --jobs 1000 --failure-rate 0.1 --rate-limit 200 --time-scale 0.01 --limited-jobs 20]
 * The rate limit (messages per second per target) is raised above Slack's default of 1/s so the first figure
 * measures the pipeline, not the limiter. A second phase then PUTs Slack back to 1/s and sends `--limited-jobs` Slack
 * messages to one webhook, to show the limiter (most deliveries in any one second). `--time-scale` scales SQS timers
 * (retry waits, deferral delays), not the one-second rate-limit windows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { MessageSent } from '@cxloop/events';
import { synthesizeApp } from '@cxloop/infra';
import { startLocalRuntime } from '@cxloop/local-runtime';
import type { OutboundJobInput } from '../../services/followup/src/domain/outbound-job';
import { formatWebhookSecret } from '../../services/followup/src/domain/standard-webhooks';
import { outboundQueue } from '../../services/followup/src/outbound/enqueue';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000' },
    'failure-rate': { type: 'string', default: '0.1' },
    'rate-limit': { type: 'string', default: '200' },
    'time-scale': { type: 'string', default: '0.01' },
    'limited-jobs': { type: 'string', default: '20' },
  },
});
const jobCount = Number(values.jobs);
const failureRate = Number(values['failure-rate']);
const rateLimit = Number(values['rate-limit']);
const timeScale = Number(values['time-scale']);
const limitedJobs = Number(values['limited-jobs']);
const adminKey = 'bench-admin-key-0123456789abcdefghijkl';

// The receiver: Slack incoming webhook and webhook endpoint in one, failing `failureRate` of requests with a 503.
const deliveredAt = new Map<string, number[]>();
const limitedAt: number[] = [];
let requests = 0;
let failures = 0;
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    requests += 1;
    if (Math.random() < failureRate) {
      failures += 1;
      response.writeHead(503).end('unavailable');
      return;
    }
    const body = Buffer.concat(chunks).toString('utf8');
    if (request.url === '/limited') {
      limitedAt.push(Date.now());
      response.writeHead(200).end('ok');
      return;
    }
    const id = request.url?.startsWith('/slack')
      ? (JSON.parse(body) as { text: string }).text
      : String(request.headers['webhook-id']);
    deliveredAt.set(id, [...(deliveredAt.get(id) ?? []), Date.now()]);
    response.writeHead(200).end('ok');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const outdir = mkdtempSync(join(tmpdir(), 'cxloop-bench-outbound-'));
const synthesized = await synthesizeApp({ outdir });
const runtime = await startLocalRuntime({
  assemblyDir: synthesized.assemblyDir,
  port: 0,
  secretValues: { [synthesized.adminKeySecretLogicalId]: adminKey },
  timeScale,
  log: () => {},
});
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${runtime.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
  });

const announced = new Set<string>();
let announcements = 0;
runtime.onEvent((_bus, event) => {
  if (event['detail-type'] !== MessageSent.detailType) return;
  announcements += 1;
  announced.add(MessageSent.detailSchema.parse(event.detail).data.messageId);
});

const configured = await api('/v1/followup-channels', {
  method: 'PUT',
  body: JSON.stringify({
    slack: { targets: { bench: `${receiverUrl}/slack` } },
    webhooks: { default: { url: `${receiverUrl}/hooks`, secrets: [formatWebhookSecret(Buffer.alloc(32, 3))] } },
    rateLimits: { slack: rateLimit, webhook: rateLimit },
  }),
});
if (configured.status !== 200) throw new Error(`PUT /v1/followup-channels answered ${configured.status}`);

const queues = runtime.resources.queues;
const queueUrl = queues[Object.keys(queues).find((id) => id.startsWith('FollowUpOutboundQueue')) ?? ''] ?? '';
const deadLetterQueue = Object.keys(queues).find((id) => id.startsWith('FollowUpOutboundDeadLetterQueue')) ?? '';
const sqs = new SQSClient({
  endpoint: `${runtime.awsEndpoint}/sqs`,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const enqueue = outboundQueue(queueUrl, sqs);
const jobs: OutboundJobInput[] = Array.from({ length: jobCount }, (_, index) => {
  const jobId = `bench_${String(index).padStart(6, '0')}`;
  return index % 2 === 0
    ? { jobId, channel: 'slack', purpose: 'metric_alert', message: { text: jobId } }
    : { jobId, channel: 'webhook', purpose: 'metric_alert', type: 'metric.alert', data: { jobId } };
});

const started = performance.now();
const enqueuedAt = Date.now();
await enqueue(jobs);
await runtime.idle(1_800_000);
const wallSeconds = (performance.now() - started) / 1000;

// The message log, through the API.
const statuses = new Map<string, number>();
let recordedAttempts = 0;
let cursor: string | null = null;
do {
  const page = (await (await api(`/v1/messages?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
    items: Array<{ messageId: string; status: string; attempts: number }>;
    nextCursor: string | null;
  };
  for (const item of page.items.filter((message) => message.messageId.startsWith('bench_'))) {
    statuses.set(item.status, (statuses.get(item.status) ?? 0) + 1);
    recordedAttempts += item.attempts;
  }
  cursor = page.nextCursor;
} while (cursor);

const unique = jobs.filter((job) => deliveredAt.has(job.jobId)).length;
const deliveries = [...deliveredAt.values()].reduce((sum, times) => sum + times.length, 0);
const latencies = [...deliveredAt.values()].map((times) => (times[0] ?? enqueuedAt) - enqueuedAt).sort((a, b) => a - b);
const percentile = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;

console.log(
  `\n${jobCount} jobs (Slack + webhook), receiver failing ${failureRate * 100}% at random (503), ` +
    `rate limit ${rateLimit}/s per target, time scale ${timeScale}\n`,
);
console.table({
  'sent (message log)': statuses.get('sent') ?? 0,
  'other statuses': JSON.stringify(Object.fromEntries([...statuses].filter(([status]) => status !== 'sent'))),
  'unique deliveries at the receiver': unique,
  duplicates: deliveries - unique,
  lost: jobCount - unique,
  'MessageSent events (unique)': `${announcements} (${announced.size})`,
  'requests at the receiver (503s)': `${requests} (${failures})`,
  'attempts in the message log': recordedAttempts,
  'DLQ depth': runtime.queueMessages(deadLetterQueue).length,
  'wall time (s)': +wallSeconds.toFixed(1),
  'throughput (messages/s)': +(unique / wallSeconds).toFixed(1),
  'enqueue → delivery p50 / p95 / max (s)': `${(percentile(50) / 1000).toFixed(2)} / ${(percentile(95) / 1000).toFixed(2)} / ${((latencies.at(-1) ?? 0) / 1000).toFixed(2)}`,
});

if (limitedJobs > 0) {
  // Slack back to its default of 1 message per second per webhook; the senders see it within their 10-s cache.
  const limited = await api('/v1/followup-channels', {
    method: 'PUT',
    body: JSON.stringify({ slack: { targets: { limited: `${receiverUrl}/limited` } } }),
  });
  if (limited.status !== 200) throw new Error(`PUT /v1/followup-channels answered ${limited.status}`);
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const limitedStarted = performance.now();
  await enqueue(
    Array.from({ length: limitedJobs }, (_, index) => ({
      jobId: `bench_limited_${String(index).padStart(4, '0')}`,
      channel: 'slack' as const,
      purpose: 'metric_alert',
      message: { text: `limited ${index}` },
    })),
  );
  await runtime.idle(1_800_000);
  const limitedSeconds = (performance.now() - limitedStarted) / 1000;
  const perSecond = new Map<number, number>();
  for (const at of limitedAt) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
  console.log(`\n${limitedJobs} Slack jobs to one incoming webhook at the default limit of 1/s\n`);
  console.table({
    'delivered at the receiver': limitedAt.length,
    'most deliveries in one second': Math.max(0, ...perSecond.values()),
    'wall time (s)': +limitedSeconds.toFixed(1),
    'rate (messages/s)': +(limitedAt.length / limitedSeconds).toFixed(2),
  });
}

sqs.destroy();
await runtime.stop();
await new Promise<void>((resolve) => {
  receiver.closeAllConnections();
  receiver.close(() => resolve());
});
rmSync(outdir, { recursive: true, force: true });
