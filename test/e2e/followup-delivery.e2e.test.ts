import { execFile } from 'node:child_process';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MessageSent } from '@cxloop/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundJobInput } from '../../services/followup/src/domain/outbound-job';
import { outboundQueue } from '../../services/followup/src/outbound/enqueue';
import { suppressionStore } from '../../services/followup/src/store/suppressions';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

const run = promisify(execFile);

/**
 * Standard Webhooks verification written from the spec (https://www.standardwebhooks.com), independent of
 * `services/followup/src/domain/standard-webhooks.ts`: the key is the base64 after `whsec_`, the signed content is
 * `${id}.${timestamp}.${body}`, the header holds space-separated `v1,<base64 HMAC-SHA256>` entries, and any one that
 * matches (compared in constant time) within 5 minutes of the timestamp is accepted.
 */
function verifyStandardWebhook(
  secret: string,
  headers: IncomingHttpHeaders,
  body: string,
  nowSeconds: number,
): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** Stands in for Slack and webhook endpoints: answers per path with a programmable status sequence. */
async function startReceiver() {
  const requests: Received[] = [];
  const scripts = new Map<string, number[]>();
  let randomFailureRate = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      const scripted = scripts.get(path)?.shift();
      const status = scripted ?? (path.startsWith('/flaky') && Math.random() < randomFailureRate ? 503 : 200);
      requests.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    /** The next answers on `path` (then 200). */
    script: (path: string, statuses: number[]) => scripts.set(path, [...statuses]),
    failRandomly: (rate: number) => {
      randomFailureRate = rate;
    },
    delivered: (path: string) => requests.filter((request) => request.path === path && request.status === 200),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('follow-up outbound delivery through the local runtime', () => {
  let system: TestRuntime;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let sqs: SQSClient;
  let db: DynamoDBDocumentClient;
  let enqueue: ReturnType<typeof outboundQueue>;
  let tableName: string;
  let deadLetterQueue: string;
  const sent: string[] = [];
  const secretOld = `whsec_${randomBytes(32).toString('base64')}`;
  const secretNew = `whsec_${randomBytes(32).toString('base64')}`;

  const message = async (messageId: string) =>
    (await (await system.api(`/v1/messages/${messageId}`, { admin: true })).json()) as {
      status: string;
      attempts: number;
      lastStatusCode?: number;
      lastError?: string;
    };

  beforeAll(async () => {
    system = await startTestRuntime({ timeScale: 0.01 });
    receiver = await startReceiver();
    const queues = system.runtime.resources.queues;
    const queueId = Object.keys(queues).find((id) => id.startsWith('FollowUpOutboundQueue'));
    deadLetterQueue = Object.keys(queues).find((id) => id.startsWith('FollowUpOutboundDeadLetterQueue')) ?? '';
    const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    sqs = new SQSClient({ ...local, endpoint: `${system.runtime.awsEndpoint}/sqs` });
    enqueue = outboundQueue(queues[queueId ?? ''] ?? '', sqs);
    const tables = system.runtime.resources.tables;
    tableName = tables[Object.keys(tables).find((id) => id.startsWith('FollowUpTable')) ?? ''] ?? '';
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...local, endpoint: system.runtime.dynamoEndpoint }));
    system.runtime.onEvent((_bus, event) => {
      if (event['detail-type'] === MessageSent.detailType) {
        sent.push(MessageSent.detailSchema.parse(event.detail).data.messageId);
      }
    });
  });
  afterAll(async () => {
    await receiver?.stop();
    sqs?.destroy();
    db?.destroy();
    await system?.stop();
  });

  it('validates the channel settings, naming the field, and shows them redacted', async () => {
    const refused = await system.api('/v1/followup-channels', {
      method: 'PUT',
      admin: true,
      json: {
        slack: { targets: { alerts: 'http://hooks.example.com/x' } },
        webhooks: { crm: { url: 'https://x', secrets: [] } },
      },
    });
    expect(refused.status).toBe(400);
    const { message: refusal } = (await refused.json()) as { message: string };
    expect(refusal).toContain('body.slack.targets.alerts');
    expect(refusal).toContain('body.webhooks.crm.secrets');

    const settings = {
      email: { from: 'CX Team <cx@example.com>' },
      slack: { targets: { alerts: `${receiver.url}/slack/alerts`, flaky: `${receiver.url}/flaky/slack` } },
      webhooks: {
        default: { url: `${receiver.url}/hooks/crm`, secrets: [secretNew, secretOld] },
        flaky: { url: `${receiver.url}/flaky/hooks`, secrets: [secretNew] },
        down: { url: `${receiver.url}/hooks/down`, secrets: [secretNew] },
      },
      rateLimits: { slack: 200, webhook: 200, email: 50 },
    };
    const put = await system.api('/v1/followup-channels', { method: 'PUT', admin: true, json: settings });
    expect(put.status).toBe(200);
    const shown = await (await system.api('/v1/followup-channels', { admin: true })).json();
    expect(shown).toMatchObject({
      slack: { targets: { alerts: `${receiver.url}/…erts` } },
      webhooks: { default: { secrets: [`whsec_…${secretNew.slice(-4)}`, `whsec_…${secretOld.slice(-4)}`] } },
    });
    expect(JSON.stringify(shown)).not.toContain(secretNew.slice(6, 30));
    // What GET showed can be sent back unchanged: the secrets stay as they were.
    const again = await system.api('/v1/followup-channels', { method: 'PUT', admin: true, json: shown });
    expect(again.status).toBe(200);
  });

  it('posts a Slack job to its incoming webhook exactly once and logs it', async () => {
    await enqueue([
      {
        jobId: 'e2e_slack_0001',
        channel: 'slack',
        purpose: 'case_opened',
        caseId: 'case_e2e_1',
        target: 'alerts',
        message: { text: 'New follow-up case: detractor (high)' },
      },
    ]);
    await system.runtime.idle(60_000);
    const posts = receiver.requests.filter((request) => request.path === '/slack/alerts');
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0]!.body)).toEqual({ text: 'New follow-up case: detractor (high)' });
    expect(await message('e2e_slack_0001')).toMatchObject({ status: 'sent', attempts: 1 });
    const byCase = (await (await system.api('/v1/messages?caseId=case_e2e_1', { admin: true })).json()) as {
      items: Array<{ messageId: string; channel: string }>;
    };
    expect(byCase.items).toEqual([expect.objectContaining({ messageId: 'e2e_slack_0001', channel: 'slack' })]);
    expect(sent.filter((id) => id === 'e2e_slack_0001')).toHaveLength(1);
  });

  it('sends a promoter exactly one thank-you e-mail when the job is delivered twice', async () => {
    const thankYou: OutboundJobInput = {
      jobId: 'e2e_thanks_0001',
      channel: 'email',
      purpose: 'thank_you',
      feedbackId: 'fb_e2e_promoter',
      personKey: 'id:customer-7',
      to: 'promoter@example.com',
      locale: 'en',
      template: 'thank_you_review',
      variables: { reviewUrl: 'https://reviews.example.com/acme' },
    };
    await enqueue([thankYou]);
    await enqueue([thankYou]);
    await system.runtime.idle(60_000);
    const emails = system.runtime.outbox().filter((email) => email.to.includes('promoter@example.com'));
    expect(emails).toHaveLength(1);
    const headers = Object.fromEntries(emails[0]!.headers.map(({ Name, Value }) => [Name, Value]));
    expect(headers['List-Unsubscribe']).toMatch(new RegExp(`^<${system.runtime.url}/u/[A-Za-z0-9_-]+>$`));
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(emails[0]).toMatchObject({
      from: 'CX Team <cx@example.com>',
      subject: 'Thank you! Would you share that in a review?',
    });
    expect(emails[0]!.configurationSetName).toMatch(/EmailEvents/);
    expect(emails[0]!.text).toContain('https://reviews.example.com/acme');
    expect(await message('e2e_thanks_0001')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(sent.filter((id) => id === 'e2e_thanks_0001')).toHaveLength(1);
  });

  it('sends nothing to a suppressed person and records the message as suppressed', async () => {
    await suppressionStore(db, tableName).suppress({
      personKey: 'email:gone@example.com',
      reason: 'unsubscribed',
      at: new Date().toISOString(),
      source: 'e2e',
    });
    await enqueue([
      {
        jobId: 'e2e_suppressed_0001',
        channel: 'email',
        purpose: 'thank_you',
        to: 'Gone@Example.com',
        locale: 'ru',
        template: 'thank_you',
      },
    ]);
    await system.runtime.idle(60_000);
    expect(system.runtime.outbox().filter((email) => email.to.includes('Gone@Example.com'))).toHaveLength(0);
    expect(await message('e2e_suppressed_0001')).toMatchObject({ status: 'suppressed', attempts: 0 });
  });

  it('signs webhooks so that an independent Standard Webhooks implementation accepts them with either secret', async () => {
    await enqueue([
      {
        jobId: 'e2e_webhook_0001',
        channel: 'webhook',
        purpose: 'case_opened',
        type: 'case.opened',
        data: { caseId: 'case_e2e_1', text: 'Доставка опоздала' },
      },
    ]);
    await system.runtime.idle(60_000);
    const [delivery, ...others] = receiver.requests.filter((request) => request.path === '/hooks/crm');
    expect(others).toHaveLength(0);
    const nowSeconds = Math.floor(Date.now() / 1000);
    expect(delivery!.headers['webhook-id']).toBe('e2e_webhook_0001');
    expect(verifyStandardWebhook(secretNew, delivery!.headers, delivery!.body, nowSeconds)).toBe(true);
    expect(verifyStandardWebhook(secretOld, delivery!.headers, delivery!.body, nowSeconds)).toBe(true);
    const stranger = `whsec_${randomBytes(32).toString('base64')}`;
    expect(verifyStandardWebhook(stranger, delivery!.headers, delivery!.body, nowSeconds)).toBe(false);
    expect(verifyStandardWebhook(secretNew, delivery!.headers, `${delivery!.body} `, nowSeconds)).toBe(false);
    expect(JSON.parse(delivery!.body)).toMatchObject({
      type: 'case.opened',
      data: { caseId: 'case_e2e_1', text: 'Доставка опоздала' },
    });
  });

  it('retries a receiver that answers 500 twice, then sends once with 3 attempts', async () => {
    receiver.script('/slack/alerts', [500, 500]);
    await enqueue([
      {
        jobId: 'e2e_retry_0001',
        channel: 'slack',
        purpose: 'case_escalated',
        message: { text: 'Case overdue' },
        target: 'alerts',
      },
    ]);
    await system.runtime.idle(60_000);
    const attempts = receiver.requests.filter((request) => request.body.includes('Case overdue'));
    expect(attempts.map((request) => request.status)).toEqual([500, 500, 200]);
    expect(await message('e2e_retry_0001')).toMatchObject({ status: 'sent', attempts: 3, lastStatusCode: 500 });
  });

  it('records a 400 as failed and does not retry it', async () => {
    receiver.script('/hooks/crm', [400]);
    await enqueue([
      { jobId: 'e2e_rejected_0001', channel: 'webhook', purpose: 'case_opened', type: 'case.opened', data: { n: 1 } },
    ]);
    await system.runtime.idle(60_000);
    const attempts = receiver.requests.filter((request) => request.headers['webhook-id'] === 'e2e_rejected_0001');
    expect(attempts.map((request) => request.status)).toEqual([400]);
    expect(await message('e2e_rejected_0001')).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 400 });
    const failed = (await (await system.api('/v1/messages?status=failed&channel=webhook', { admin: true })).json()) as {
      items: Array<{ messageId: string }>;
    };
    expect(failed.items.map((item) => item.messageId)).toContain('e2e_rejected_0001');
  });

  it('parks a job that keeps failing in the dead-letter queue; `npm run redrive` brings it back', {
    timeout: 120_000,
  }, async () => {
    receiver.script(
      '/hooks/down',
      Array.from({ length: 8 }, () => 503),
    );
    await enqueue([
      {
        jobId: 'e2e_parked_0001',
        channel: 'webhook',
        target: 'down',
        purpose: 'case_opened',
        type: 'case.opened',
        data: {},
      },
    ]);
    await system.runtime.idle(90_000);
    expect(system.runtime.queueMessages(deadLetterQueue)).toHaveLength(1);
    expect(await message('e2e_parked_0001')).toMatchObject({ status: 'failed', attempts: 8 });

    const { stdout } = await run('npx', ['tsx', 'infra/scripts/redrive.ts', 'Outbound'], {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL_SQS: `${system.runtime.awsEndpoint}/sqs`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      },
    });
    expect(stdout).toContain('Redrive started for 1 message(s).');
    await system.runtime.idle(60_000);
    expect(system.runtime.queueMessages(deadLetterQueue)).toHaveLength(0);
    expect(receiver.delivered('/hooks/down')).toHaveLength(1);
    expect(await message('e2e_parked_0001')).toMatchObject({ status: 'sent', attempts: 9 });
  });

  it('delivers 200 jobs exactly once each while the receiver fails 10% of requests', { timeout: 180_000 }, async () => {
    receiver.failRandomly(0.1);
    const jobs: OutboundJobInput[] = Array.from({ length: 200 }, (_, index) => {
      const jobId = `e2e_bulk_${String(index).padStart(4, '0')}`;
      return index % 2 === 0
        ? { jobId, channel: 'slack', target: 'flaky', purpose: 'metric_alert', message: { text: jobId } }
        : {
            jobId,
            channel: 'webhook',
            target: 'flaky',
            purpose: 'metric_alert',
            type: 'metric.alert',
            data: { jobId },
          };
    });
    await enqueue(jobs);
    await system.runtime.idle(150_000);
    receiver.failRandomly(0);

    const deliveredIds = [
      ...receiver.delivered('/flaky/slack').map((request) => (JSON.parse(request.body) as { text: string }).text),
      ...receiver.delivered('/flaky/hooks').map((request) => String(request.headers['webhook-id'])),
    ];
    const unique = new Set(deliveredIds);
    expect(
      receiver.requests.filter((request) => request.path.startsWith('/flaky') && request.status === 503).length,
    ).toBeGreaterThan(0);
    expect(deliveredIds).toHaveLength(200);
    expect(unique.size).toBe(200);
    expect(jobs.every((job) => unique.has(job.jobId))).toBe(true);
    expect(system.runtime.queueMessages(deadLetterQueue)).toHaveLength(0);
    expect(new Set(sent.filter((id) => id.startsWith('e2e_bulk_'))).size).toBe(200);
  });
});
