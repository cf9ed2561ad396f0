import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { MessageSent } from '@cxloop/events';
import type { EventToPublish } from '@cxloop/lambda-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import type { ChannelSettings } from '../src/domain/channel-settings';
import { personKeyOfUnsubscribeToken } from '../src/domain/messages';
import type { OutboundJobInput } from '../src/domain/outbound-job';
import { formatWebhookSecret } from '../src/domain/standard-webhooks';
import { type ChannelDriverOptions, channelDrivers } from '../src/outbound/channels';
import { deliverJob, type ReceivedJob, type SenderDeps } from '../src/outbound/deliver';
import { messageStore } from '../src/store/messages';
import { rateLimiter } from '../src/store/rate-limits';
import { suppressionStore } from '../src/store/suppressions';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** A local HTTP receiver standing in for Slack, webhook endpoints, Zendesk, the SES API and End User Messaging SMS. */
async function startReceiver(answer: (request: Received) => Answer) {
  const requests: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      const reply = answer(received);
      if (reply === 'hang') return;
      response.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url, requests, stop };
}

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

const webhookSecret = formatWebhookSecret(Buffer.alloc(32, 5));
const unsubscribeKey = Buffer.from('unsubscribe-key-for-tests-0123456789', 'utf8');
const now = new Date('2026-11-20T09:15:00.000Z');
const smsPool = 'arn:aws:sms-voice:us-east-1:000000000000:pool/pool-0123456789abcdef';

async function setup(
  answer: (request: Received) => Answer,
  overrides: Partial<ChannelSettings> = {},
  drivers: Partial<ChannelDriverOptions> = {},
) {
  const { db, tableName } = await createServiceTable('sender');
  const receiver = await startReceiver(answer);
  stops.push(receiver.stop);
  const settings: ChannelSettings = {
    email: { from: 'CX <cx@example.com>' },
    slack: { targets: { alerts: `${receiver.url}/slack/alerts` } },
    webhooks: { default: { url: `${receiver.url}/hooks`, secrets: [webhookSecret] } },
    zendesk: { baseUrl: receiver.url, email: 'bot@example.com', apiToken: 'zendesk-token-0123456789' },
    rateLimits: { slack: 50, webhook: 50, email: 50, zendesk: 50 },
    ...overrides,
  };
  const published: EventToPublish[] = [];
  const suppressions = suppressionStore(db, tableName);
  let publishFailures = 0;
  const deps: SenderDeps = {
    messages: messageStore(db, tableName),
    suppressions,
    rateLimiter: rateLimiter(db, tableName),
    settings: async () => settings,
    deliver: channelDrivers({
      ses: new SESv2Client({
        endpoint: `${receiver.url}/ses`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      }),
      sms: {
        client: new PinpointSMSVoiceV2Client({
          endpoint: `${receiver.url}/sms`,
          region: 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          maxAttempts: 1,
        }),
        originationIdentity: smsPool,
      },
      publicApiUrl: 'https://api.cx.example.com',
      unsubscribeKey: async () => unsubscribeKey,
      defaultConfigurationSet: 'cxloop-email-events',
      timeoutMs: 300,
      // The receiver listens on http://127.0.0.1, as on the local runtime.
      urlPolicy: { allowLoopbackHttp: true },
      ...drivers,
    }),
    publish: async (events) => {
      if (publishFailures > 0) {
        publishFailures -= 1;
        throw new Error('bus unavailable');
      }
      published.push(...events);
    },
    log: () => {},
    maxAttempts: 4,
    random: () => 0.5,
  };
  const run = (job: OutboundJobInput | string, received: Partial<ReceivedJob> = {}, at = now) =>
    deliverJob(
      deps,
      {
        body: typeof job === 'string' ? job : JSON.stringify(job),
        sqsMessageId: '0f8fad5b-d9cb-469f-a165-70867728950e',
        receiveCount: 1,
        priorReceives: 0,
        deferrals: 0,
        leaseMs: 30_000,
        ...received,
      },
      at,
    );
  return {
    deps,
    suppressions,
    receiver,
    published,
    run,
    failNextPublish: () => {
      publishFailures = 1;
    },
  };
}

const slackJob = (jobId: string): OutboundJobInput => ({
  jobId,
  channel: 'slack',
  purpose: 'case_opened',
  caseId: 'case_1',
  feedbackId: 'fb_1',
  correlationId: 'corr-1',
  message: { text: 'New follow-up case: detractor (high)' },
});
const webhookJob = (jobId: string): OutboundJobInput => ({
  jobId,
  channel: 'webhook',
  purpose: 'case_opened',
  type: 'case.opened',
  data: { caseId: 'case_1' },
});
const emailJob = (jobId: string): OutboundJobInput => ({
  jobId,
  channel: 'email',
  purpose: 'thank_you',
  to: 'Anna.Ivanova@Example.com',
  locale: 'ru',
  template: 'thank_you',
});
const zendeskJob = (jobId: string): OutboundJobInput => ({
  jobId,
  channel: 'zendesk',
  purpose: 'case_opened',
  caseId: 'case_z',
  ticket: { ticket: { subject: 'Detractor', comment: { body: 'x', public: false }, external_id: 'case_z' } },
});

const smsJob = (jobId: string): OutboundJobInput => ({
  jobId,
  channel: 'sms',
  purpose: 'survey_invitation',
  personKey: 'phone:+79991234567',
  to: '+79991234567',
  locale: 'ru',
  template: 'survey_invitation',
  variables: { surveyUrl: 'https://api.cx.example.com/i/AAECAwQFBgcICQoLDA0ODw' },
});
const smsAnswer = (request: Received): Answer =>
  request.headers['x-amz-target'] === 'PinpointSMSVoiceV2.SendTextMessage'
    ? { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{"MessageId":"sms-0001"}' }
    : { status: 404 };

describe('SMS through AWS End User Messaging (a local receiver stands in for its API)', () => {
  it('sends the text from the origination identity, once, and records it sent without the number', async () => {
    const { run, receiver, deps, published } = await setup(smsAnswer);
    expect(await run(smsJob('job_sms_1'))).toEqual({ action: 'ack', outcome: 'sent' });
    expect(await run(smsJob('job_sms_1'))).toEqual({ action: 'ack', outcome: 'duplicate_sent' });
    expect(receiver.requests).toHaveLength(1);
    const request = JSON.parse(receiver.requests[0]!.body) as Record<string, unknown>;
    expect(request).toMatchObject({
      DestinationPhoneNumber: '+79991234567',
      OriginationIdentity: smsPool,
      MessageType: 'TRANSACTIONAL',
      Context: { cxloop_job: 'job_sms_1', cxloop_purpose: 'survey_invitation' },
    });
    expect(request.MessageBody).toBe(
      'Как у нас дела? Один вопрос: https://api.cx.example.com/i/AAECAwQFBgcICQoLDA0ODw СТОП - отписка',
    );
    const record = await deps.messages.get('job_sms_1');
    expect(record).toMatchObject({ status: 'sent', channel: 'sms', providerId: 'sms-0001' });
    expect(JSON.stringify(record)).not.toContain('9991234567');
    expect(published.map((event) => event.data)).toEqual([expect.objectContaining({ channel: 'sms' })]);
  });

  it('sends nothing to a number that replied STOP (suppressed as phone:<E.164>)', async () => {
    const { run, receiver, suppressions } = await setup(smsAnswer);
    await suppressions.suppress({
      personKey: 'phone:+79991234567',
      reason: 'unsubscribed',
      at: now.toISOString(),
      source: 'sms_stop',
    });
    expect(await run({ ...smsJob('job_sms_stop'), personKey: 'id:u-1' })).toEqual({
      action: 'ack',
      outcome: 'suppressed',
    });
    expect(receiver.requests).toHaveLength(0);
  });

  it('keeps texts queued once the daily segment budget is spent, with a log line, and sends them the next day', async () => {
    const { run, receiver, deps } = await setup(smsAnswer, { sms: { segmentsPerSecond: 5, segmentsPerDay: 3 } });
    const logged: Array<[string, Record<string, unknown>]> = [];
    deps.log = (message, attributes) => logged.push([message, attributes]);
    // Each of these Cyrillic texts is 2 segments (UCS-2, over 70 characters).
    expect(await run(smsJob('job_budget_1'))).toEqual({ action: 'ack', outcome: 'sent' });
    const evening = new Date('2026-11-20T23:50:00.000Z');
    expect(await run(smsJob('job_budget_2'), {}, evening)).toEqual({
      action: 'defer',
      delaySeconds: 600,
      deferrals: 1,
      priorReceives: 0,
    });
    expect(await deps.messages.get('job_budget_2')).toMatchObject({ status: 'queued', attempts: 0 });
    expect(logged).toContainEqual([
      expect.stringContaining('daily segment budget'),
      expect.objectContaining({ metric: 'SmsDailyBudgetSpent', segmentsPerDay: 3 }),
    ]);
    expect(await run(smsJob('job_budget_2'), {}, new Date('2026-11-21T00:00:01.000Z'))).toEqual({
      action: 'ack',
      outcome: 'sent',
    });
    expect(receiver.requests).toHaveLength(2);
  });

  it('fails a number that opted out at AWS for good, and a stack without an origination identity', async () => {
    const { run, deps } = await setup(() => ({
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: '{"__type":"ConflictException","message":"opted out","Reason":"DESTINATION_PHONE_NUMBER_OPTED_OUT"}',
    }));
    expect(await run(smsJob('job_opted_out'))).toEqual({ action: 'ack', outcome: 'failed' });
    expect(await deps.messages.get('job_opted_out')).toMatchObject({
      status: 'failed',
      lastError: 'SMS ConflictException DESTINATION_PHONE_NUMBER_OPTED_OUT',
    });
    const unconfigured = await setup(
      smsAnswer,
      {},
      { sms: { client: new PinpointSMSVoiceV2Client({}), originationIdentity: undefined } },
    );
    expect(await unconfigured.run(smsJob('job_no_identity'))).toEqual({ action: 'ack', outcome: 'failed' });
    expect(unconfigured.receiver.requests).toHaveLength(0);
  });
});

describe('deliverJob against DynamoDB Local and a local receiver', () => {
  it('posts a Slack message once, records it sent, publishes MessageSent once, and ignores a duplicate', async () => {
    const { run, receiver, published, deps } = await setup(() => ({ status: 200, body: 'ok' }));
    expect(await run(slackJob('job_slack_once'))).toEqual({ action: 'ack', outcome: 'sent' });
    expect(await run(slackJob('job_slack_once'), { sqsMessageId: 'another-copy' })).toEqual({
      action: 'ack',
      outcome: 'duplicate_sent',
    });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]).toMatchObject({ method: 'POST', path: '/slack/alerts' });
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual({ text: 'New follow-up case: detractor (high)' });
    expect(await deps.messages.get('job_slack_once')).toMatchObject({
      status: 'sent',
      attempts: 1,
      channel: 'slack',
      target: 'alerts',
      caseId: 'case_1',
      announced: true,
    });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      contract: MessageSent,
      data: { messageId: 'job_slack_once', channel: 'slack', purpose: 'case_opened', caseId: 'case_1', attempts: 1 },
      causation: { correlationId: 'corr-1' },
    });
  });

  it('retries a 503 with backoff, then sends once with the attempts counted', async () => {
    let calls = 0;
    const { run, receiver, deps, published } = await setup(() => {
      calls += 1;
      return calls === 1 ? { status: 503 } : { status: 200 };
    });
    expect(await run(slackJob('job_retry'))).toEqual({ action: 'retry', visibilitySeconds: 8, reason: 'HTTP 503' });
    expect(await deps.messages.get('job_retry')).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'HTTP 503',
    });
    expect(await run(slackJob('job_retry'), { receiveCount: 2 })).toEqual({ action: 'ack', outcome: 'sent' });
    expect(receiver.requests).toHaveLength(2);
    expect(await deps.messages.get('job_retry')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(published[0]).toMatchObject({ data: { attempts: 2 } });
  });

  it("waits at least as long as a 429's Retry-After", async () => {
    const { run } = await setup(() => ({ status: 429, headers: { 'retry-after': '120' }, body: 'rate_limited' }));
    expect(await run(slackJob('job_status_429'))).toMatchObject({ action: 'retry', visibilitySeconds: 120 });
  });

  it('treats a receiver that does not answer in time as transient', async () => {
    const { run, deps } = await setup(() => 'hang');
    expect(await run(slackJob('job_timeout'))).toMatchObject({ action: 'retry', reason: 'timeout' });
    expect(await deps.messages.get('job_timeout')).toMatchObject({ status: 'queued', lastError: 'timeout' });
  });

  it('records a 4xx as failed for good, with Slack’s error code, and does not retry it', async () => {
    const { run, deps, receiver } = await setup(() => ({ status: 404, body: 'channel_not_found' }));
    expect(await run(slackJob('job_status_404'))).toEqual({ action: 'ack', outcome: 'failed' });
    expect(await run(slackJob('job_status_404'), { receiveCount: 2 })).toEqual({
      action: 'ack',
      outcome: 'duplicate_failed',
    });
    expect(receiver.requests).toHaveLength(1);
    expect(await deps.messages.get('job_status_404')).toMatchObject({
      status: 'failed',
      lastStatusCode: 404,
      lastError: 'HTTP 404 channel_not_found',
    });
  });

  it('parks a job after its last attempt: to SQS when it counted them all, else itself', async () => {
    const { run, deps } = await setup(() => ({ status: 500 }));
    expect(await run(slackJob('job_last'), { receiveCount: 4 })).toMatchObject({
      action: 'retry',
      visibilitySeconds: 1,
    });
    expect(await deps.messages.get('job_last')).toMatchObject({ status: 'failed', retryable: true });
    expect(await run(slackJob('job_last_deferred'), { receiveCount: 2, priorReceives: 2 })).toMatchObject({
      action: 'dead_letter',
    });
    // A redrive brings it back and it may be claimed again.
    const again = await deps.messages.claim(
      { messageId: 'job_last', channel: 'slack', purpose: 'case_opened' },
      now,
      1_000,
      'redrive',
    );
    expect(again).toMatchObject({ kind: 'claimed' });
  });

  it('sends nothing to a suppressed person and records it suppressed', async () => {
    const { run, deps, receiver, suppressions } = await setup(() => ({ status: 200 }));
    await suppressions.suppress({
      personKey: 'email:anna.ivanova@example.com',
      reason: 'unsubscribed',
      at: now.toISOString(),
      source: 'test',
    });
    expect(await run(emailJob('job_suppressed'))).toEqual({ action: 'ack', outcome: 'suppressed' });
    expect(await run({ ...slackJob('job_suppressed_person'), personKey: 'email:anna.ivanova@example.com' })).toEqual({
      action: 'ack',
      outcome: 'suppressed',
    });
    expect(receiver.requests).toHaveLength(0);
    expect(await deps.messages.get('job_suppressed')).toMatchObject({
      status: 'suppressed',
      attempts: 0,
      lastError: 'suppressed: unsubscribed',
    });
  });

  it('sends e-mail through SES with the unsubscribe headers, the configuration set and tags', async () => {
    const { run, receiver, deps } = await setup((request) =>
      request.path === '/ses/v2/email/outbound-emails'
        ? { status: 200, headers: { 'content-type': 'application/json' }, body: '{"MessageId":"ses-0001"}' }
        : { status: 404 },
    );
    expect(await run(emailJob('job_email'))).toEqual({ action: 'ack', outcome: 'sent' });
    expect(receiver.requests).toHaveLength(1);
    const request = JSON.parse(receiver.requests[0]!.body) as {
      FromEmailAddress: string;
      Destination: { ToAddresses: string[] };
      ConfigurationSetName: string;
      EmailTags: Array<{ Name: string; Value: string }>;
      Content: { Simple: { Subject: { Data: string }; Headers: Array<{ Name: string; Value: string }> } };
    };
    expect(request.FromEmailAddress).toBe('CX <cx@example.com>');
    expect(request.Destination.ToAddresses).toEqual(['Anna.Ivanova@Example.com']);
    expect(request.ConfigurationSetName).toBe('cxloop-email-events');
    expect(request.EmailTags).toEqual([
      { Name: 'cxloop_job', Value: 'job_email' },
      { Name: 'cxloop_purpose', Value: 'thank_you' },
    ]);
    expect(request.Content.Simple.Subject.Data).toBe('Спасибо за ваш отзыв');
    const headers = Object.fromEntries(request.Content.Simple.Headers.map(({ Name, Value }) => [Name, Value]));
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const link = /^<https:\/\/api\.cx\.example\.com\/u\/([^>]+)>$/.exec(headers['List-Unsubscribe'] ?? '');
    expect(link).not.toBeNull();
    expect(personKeyOfUnsubscribeToken(link![1]!, unsubscribeKey)).toBe('email:anna.ivanova@example.com');
    const record = await deps.messages.get('job_email');
    expect(record).toMatchObject({ status: 'sent', providerId: 'ses-0001' });
    expect(record?.recipient).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(JSON.stringify(record)).not.toContain('@');
  });

  it('never sends an interrupted e-mail or Slack message again (at most once)', async () => {
    const { run, receiver, deps } = await setup(() => ({ status: 200 }));
    // A worker claimed the job and died: its claim ran out.
    await deps.messages.claim({ messageId: 'job_crash', channel: 'slack', purpose: 'case_opened' }, now, 1, 'dead');
    expect(await run(slackJob('job_crash'), { receiveCount: 2 }, new Date(now.getTime() + 10))).toEqual({
      action: 'ack',
      outcome: 'interrupted',
    });
    expect(receiver.requests).toHaveLength(0);
    expect(await deps.messages.get('job_crash')).toMatchObject({
      status: 'failed',
      lastError: 'interrupted during delivery: not sent again, to never send it twice',
    });
  });

  it('sends an interrupted webhook again with the same webhook-id (receivers de-duplicate on it)', async () => {
    const { run, receiver, deps } = await setup(() => ({ status: 204 }));
    await deps.messages.claim(
      { messageId: 'job_hook_crash', channel: 'webhook', purpose: 'case_opened' },
      now,
      1,
      'dead',
    );
    expect(await run(webhookJob('job_hook_crash'), {}, new Date(now.getTime() + 10))).toEqual({
      action: 'ack',
      outcome: 'sent',
    });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.headers['webhook-id']).toBe('job_hook_crash');
    expect(receiver.requests[0]!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual({
      type: 'case.opened',
      timestamp: '2026-11-20T09:15:00.010Z',
      data: { caseId: 'case_1' },
    });
    expect(await deps.messages.get('job_hook_crash')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('finds a Zendesk ticket an earlier attempt created instead of creating a second one', async () => {
    const tickets: Array<{ id: number; external_id: string }> = [];
    const { run, receiver, deps } = await setup((request) => {
      expect(request.headers.authorization).toBe(
        `Basic ${Buffer.from('bot@example.com/token:zendesk-token-0123456789').toString('base64')}`,
      );
      if (request.method === 'GET') {
        const externalId = new URL(request.path, 'http://x').searchParams.get('external_id');
        return { status: 200, body: JSON.stringify({ tickets: tickets.filter((t) => t.external_id === externalId) }) };
      }
      const { ticket } = JSON.parse(request.body) as { ticket: { external_id: string } };
      tickets.push({ id: 1000 + tickets.length, external_id: ticket.external_id });
      // Created, but the answer is lost: the sender sees a 502.
      return tickets.length === 1 ? { status: 502 } : { status: 201, body: JSON.stringify({ ticket: tickets.at(-1) }) };
    });
    expect(await run(zendeskJob('job_zendesk'))).toMatchObject({ action: 'retry' });
    expect(await run(zendeskJob('job_zendesk'), { receiveCount: 2 })).toEqual({ action: 'ack', outcome: 'sent' });
    expect(tickets).toHaveLength(1);
    expect(receiver.requests.map((request) => request.method)).toEqual(['POST', 'GET']);
    expect(await deps.messages.get('job_zendesk')).toMatchObject({ status: 'sent', providerId: '1000', attempts: 2 });
  });

  it('records a destination the outbound URL policy refuses as failed for good, without sending or retrying', async () => {
    const resolved: string[] = [];
    const { run, deps, receiver } = await setup(
      () => ({ status: 200 }),
      { slack: { targets: { alerts: 'https://hooks.corp.example.com/services/T0/B0/secret' } } },
      {
        urlPolicy: { allowLoopbackHttp: false },
        resolve: async (hostname) => {
          resolved.push(hostname);
          return [{ address: '10.0.0.1', family: 4 }];
        },
      },
    );
    expect(await run(slackJob('job_refused'))).toEqual({ action: 'ack', outcome: 'failed' });
    expect(await run(slackJob('job_refused'), { receiveCount: 2 })).toEqual({
      action: 'ack',
      outcome: 'duplicate_failed',
    });
    expect(resolved).toEqual(['hooks.corp.example.com']);
    expect(receiver.requests).toHaveLength(0);
    const record = await deps.messages.get('job_refused');
    expect(record).toMatchObject({
      status: 'failed',
      retryable: false,
      lastError: 'refused: hooks.corp.example.com resolves to a private address (10.0.0.1)',
    });
    expect(JSON.stringify(record)).not.toContain('secret');
  });

  it('defers a job over its target’s rate limit without counting a receive', async () => {
    const { run, receiver, deps } = await setup(() => ({ status: 200 }), { rateLimits: { slack: 1 } });
    expect(await run(slackJob('job_rate_1'))).toEqual({ action: 'ack', outcome: 'sent' });
    expect(await run(slackJob('job_rate_2'), { receiveCount: 3, priorReceives: 1, deferrals: 2 })).toEqual({
      action: 'defer',
      delaySeconds: 3,
      deferrals: 3,
      priorReceives: 3,
    });
    expect(receiver.requests).toHaveLength(1);
    expect(await deps.messages.get('job_rate_2')).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await run(slackJob('job_rate_2'), {}, new Date(now.getTime() + 1000))).toEqual({
      action: 'ack',
      outcome: 'sent',
    });
  });

  it('records malformed and unroutable jobs as failed and drops them', async () => {
    const { run, deps, receiver } = await setup(() => ({ status: 200 }), { slack: undefined });
    expect(await run('{not json', { sqsMessageId: 'sqs-message-1' })).toEqual({ action: 'ack', outcome: 'malformed' });
    expect(await deps.messages.get('sqs-sqs-message-1')).toMatchObject({
      status: 'failed',
      lastError: 'malformed job: not JSON',
    });
    expect(await run(JSON.stringify({ ...slackJob('job_bad_fields'), message: { text: '' } }))).toEqual({
      action: 'ack',
      outcome: 'malformed',
    });
    expect(await deps.messages.get('job_bad_fields')).toMatchObject({
      lastError: 'malformed job: invalid message.text',
    });
    expect(await run(slackJob('job_unroutable'))).toEqual({ action: 'ack', outcome: 'not_configured' });
    expect(await deps.messages.get('job_unroutable')).toMatchObject({
      status: 'failed',
      lastError: 'no Slack target (default) is configured',
    });
    expect(receiver.requests).toHaveLength(0);
  });

  it('leaves MessageSent to the worker that sent the job while its lease lasts, and takes over when it died', async () => {
    const { run, deps, published, receiver } = await setup(() => ({ status: 200 }));
    const summary = { messageId: 'job_announcing', channel: 'slack' as const, purpose: 'case_opened' };
    await deps.messages.claim(summary, now, 30_000, 'sender-lease');
    await deps.messages.recordSent('job_announcing', 'sender-lease', now);
    expect(await run(slackJob('job_announcing'), {}, new Date(now.getTime() + 1_000))).toEqual({
      action: 'ack',
      outcome: 'duplicate_sent',
    });
    expect(published).toHaveLength(0);
    expect(await run(slackJob('job_announcing'), {}, new Date(now.getTime() + 31_000))).toEqual({
      action: 'ack',
      outcome: 'duplicate_sent',
    });
    expect(published).toHaveLength(1);
    expect(receiver.requests).toHaveLength(0);
    expect(await deps.messages.get('job_announcing')).toMatchObject({ announced: true });
  });

  it('publishes MessageSent on a later delivery when publishing failed after the send', async () => {
    const { run, receiver, published, failNextPublish, deps } = await setup(() => ({ status: 200 }));
    failNextPublish();
    await expect(run(slackJob('job_announce'))).rejects.toThrow('bus unavailable');
    expect(await deps.messages.get('job_announce')).toMatchObject({ status: 'sent', announced: false });
    expect(await run(slackJob('job_announce'), { receiveCount: 2 })).toEqual({
      action: 'ack',
      outcome: 'duplicate_sent',
    });
    expect(receiver.requests).toHaveLength(1);
    expect(published).toHaveLength(1);
    expect(await deps.messages.get('job_announce')).toMatchObject({ announced: true });
  });
});
