import type { LookupAddress } from 'node:dns';
import { createServer } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterEach, describe, expect, it } from 'vitest';
import type { Destination } from '../src/domain/channel-settings';
import type { OutboundJob } from '../src/domain/outbound-job';
import { formatWebhookSecret } from '../src/domain/standard-webhooks';
import type { OutboundUrlPolicy } from '../src/domain/url-policy';
import { channelDrivers } from '../src/outbound/channels';
import {
  nodeTransport,
  outboundHttp,
  pinnedLookup,
  type ResolveHost,
  type Transport,
  type TransportRequest,
} from '../src/outbound/http';

const now = new Date('2026-11-20T09:15:00.000Z');
const aws: OutboundUrlPolicy = { allowLoopbackHttp: false };

/** DNS as a table; every question is recorded. */
function stubResolver(answers: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve: ResolveHost = async (hostname) => {
    asked.push(hostname);
    const addresses = answers[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, asked };
}

/** The wire: records each request and answers without connecting anything. */
function stubTransport(answer: (url: URL) => { status: number; headers?: Record<string, string>; body?: string }) {
  const calls: Array<{ url: URL; request: TransportRequest }> = [];
  const transport: Transport = async (url, request) => {
    calls.push({ url, request });
    const { status, headers = {}, body = '' } = answer(url);
    return { status, headers, body: Readable.from([Buffer.from(body)]) };
  };
  return { transport, calls };
}

const lookupOnce = (lookup: LookupFunction, options: { all?: boolean; family?: number } = {}) =>
  new Promise<{ error: Error | null; address: string | LookupAddress[]; family?: number }>((resolve) => {
    lookup('ignored.example', options, (error, address, family) =>
      resolve({ error, address, ...(family === undefined ? {} : { family }) }),
    );
  });

const slackJob: OutboundJob = {
  jobId: 'job_outbound_1',
  channel: 'slack',
  purpose: 'case_opened',
  message: { text: 'New follow-up case', blocks: [] },
};
const slackTo = (url: string): Destination => ({ channel: 'slack', target: 'alerts', url });

function drivers(options: { resolve: ResolveHost; transport: Transport; policy?: OutboundUrlPolicy }) {
  return channelDrivers({
    ses: {} as SESv2Client,
    sms: { client: {} as PinpointSMSVoiceV2Client, originationIdentity: undefined },
    publicApiUrl: 'https://api.cx.example.com',
    unsubscribeKey: async () => Buffer.from('k'),
    defaultConfigurationSet: undefined,
    urlPolicy: options.policy ?? aws,
    resolve: options.resolve,
    transport: options.transport,
  });
}

describe('outbound requests under the URL policy (stubbed DNS and wire: nothing is connected)', () => {
  const dns = stubResolver({
    'hooks.slack.com': ['52.1.2.3'],
    'crm.internal.example.com': ['10.0.0.1'],
    'dual.example.com': ['93.184.216.34', 'fd00::5'],
    'zendesk-rebind.example.com': ['169.254.169.254'],
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'refused: the URL must be an https:// URL'],
    ['https://127.0.0.1/', 'refused: the URL must name a host, not an IP address (127.0.0.1)'],
    ['https://[::1]/', 'refused: the URL must name a host, not an IP address (::1)'],
    ['https://2130706433/', 'refused: the URL must name a host, not an IP address (127.0.0.1)'],
    [
      'https://crm.internal.example.com/hooks/T0/secret',
      'refused: crm.internal.example.com resolves to a private address (10.0.0.1)',
    ],
    ['https://dual.example.com/x', 'refused: dual.example.com resolves to a private address (fd00::5)'],
  ])('refuses %s before connecting, for good, without the path in the reason', async (url, error) => {
    const wire = stubTransport(() => ({ status: 200 }));
    const outcome = await drivers({ resolve: dns.resolve, transport: wire.transport })(slackTo(url), slackJob, {
      now,
      lookupFirst: false,
    });
    expect(outcome).toEqual({ kind: 'permanent', error });
    expect(wire.calls).toHaveLength(0);
  });

  it('calls a public host, connecting only to the address it checked (DNS is asked once)', async () => {
    const wire = stubTransport(() => ({ status: 200, body: 'ok' }));
    const resolver = stubResolver({ 'hooks.slack.com': ['52.1.2.3'] });
    const outcome = await drivers({ resolve: resolver.resolve, transport: wire.transport })(
      slackTo('https://hooks.slack.com/services/T0/B0/secret'),
      slackJob,
      { now, lookupFirst: false },
    );
    expect(outcome).toEqual({ kind: 'sent' });
    expect(resolver.asked).toEqual(['hooks.slack.com']);
    expect(wire.calls).toHaveLength(1);
    const [call] = wire.calls;
    expect(call!.url.href).toBe('https://hooks.slack.com/services/T0/B0/secret');
    expect(call!.request).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
    // Whatever DNS says by the time the connection is made, the connection gets the checked address.
    expect(await lookupOnce(call!.request.lookup)).toEqual({ error: null, address: '52.1.2.3', family: 4 });
    expect(await lookupOnce(call!.request.lookup, { all: true })).toEqual({
      error: null,
      address: [{ address: '52.1.2.3', family: 4 }],
    });
    expect(resolver.asked).toHaveLength(1);
  });

  it('checks every URL of a channel: a Zendesk base URL that resolves to the metadata address is refused', async () => {
    const wire = stubTransport(() => ({ status: 201, body: '{"ticket":{"id":1}}' }));
    const destination: Destination = {
      channel: 'zendesk',
      target: 'api',
      zendesk: { baseUrl: 'https://zendesk-rebind.example.com', email: 'bot@example.com', apiToken: 't'.repeat(20) },
    };
    const job: OutboundJob = { jobId: 'job_outbound_z', channel: 'zendesk', purpose: 'case_opened', ticket: {} };
    expect(
      await drivers({ resolve: dns.resolve, transport: wire.transport })(destination, job, { now, lookupFirst: true }),
    ).toEqual({
      kind: 'permanent',
      error: 'ticket lookup: refused: zendesk-rebind.example.com resolves to a link-local address (169.254.169.254)',
    });
    expect(wire.calls).toHaveLength(0);
  });

  it('does not follow a redirect: a 3xx fails for good after one request', async () => {
    const wire = stubTransport(() => ({ status: 302, headers: { location: 'https://169.254.169.254/' } }));
    const destination: Destination = {
      channel: 'webhook',
      target: 'crm',
      url: 'https://hooks.slack.com/hook',
      secrets: [formatWebhookSecret(Buffer.alloc(32, 1))],
    };
    const job: OutboundJob = {
      jobId: 'job_outbound_2',
      channel: 'webhook',
      purpose: 'case_opened',
      type: 'case.opened',
      data: {},
    };
    expect(
      await drivers({ resolve: dns.resolve, transport: wire.transport })(destination, job, { now, lookupFirst: false }),
    ).toEqual({ kind: 'permanent', error: 'HTTP 302: redirect not followed', statusCode: 302 });
    expect(wire.calls.map((call) => call.url.hostname)).toEqual(['hooks.slack.com']);
  });

  it('treats a name that does not resolve as a transient network error', async () => {
    const wire = stubTransport(() => ({ status: 200 }));
    expect(
      await drivers({ resolve: dns.resolve, transport: wire.transport })(
        slackTo('https://unknown.example.com/x'),
        slackJob,
        { now, lookupFirst: false },
      ),
    ).toEqual({ kind: 'transient', error: 'network error ENOTFOUND' });
    expect(wire.calls).toHaveLength(0);
  });

  it('reads a 10 MB body only up to the cap, then stops the download', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let produced = 0;
    let stopped = false;
    async function* tenMegabytes() {
      try {
        for (let sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) {
          produced += chunk.length;
          yield chunk;
        }
      } finally {
        stopped = true;
      }
    }
    const send = outboundHttp({
      policy: aws,
      resolve: dns.resolve,
      transport: async () => ({ status: 200, headers: {}, body: tenMegabytes() }),
      maxBodyBytes: 100 * 1024,
    });
    const response = await send('https://hooks.slack.com/big', {
      method: 'GET',
      headers: {},
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.body).toHaveLength(100 * 1024);
    expect(produced).toBe(2 * chunk.length);
    expect(stopped).toBe(true);
  });
});

describe('pinnedLookup', () => {
  const lookup = pinnedLookup([
    { address: '93.184.216.34', family: 4 },
    { address: '2606:2800:220:1::1', family: 6 },
  ]);

  it('hands out the checked addresses, of the family asked for', async () => {
    expect(await lookupOnce(lookup)).toEqual({ error: null, address: '93.184.216.34', family: 4 });
    expect(await lookupOnce(lookup, { family: 6 })).toEqual({ error: null, address: '2606:2800:220:1::1', family: 6 });
    expect((await lookupOnce(lookup, { all: true })).address).toHaveLength(2);
    const onlyV4 = pinnedLookup([{ address: '93.184.216.34', family: 4 }]);
    expect((await lookupOnce(onlyV4, { family: 6 })).error).toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('nodeTransport', () => {
  const stops: Array<() => void> = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
  });

  it('connects where the pinned lookup says, not where DNS would (a .invalid name never resolves)', async () => {
    const server = createServer((request, response) => response.writeHead(200).end(`saw ${request.headers.host}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => server.close());
    const { port } = server.address() as AddressInfo;
    const response = await nodeTransport(new URL(`http://receiver.invalid:${port}/hook`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(5_000),
      lookup: pinnedLookup([{ address: '127.0.0.1', family: 4 }]),
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    expect(response.status).toBe(200);
    expect(Buffer.concat(chunks).toString()).toBe(`saw receiver.invalid:${port}`);
  });
});
