import { InvalidInputError, parseOrBadRequest } from '@cxloop/lambda-kit';
import { describe, expect, it } from 'vitest';
import {
  type ChannelSettings,
  channelSettingsSchema,
  channelSettingsUpdateSchema,
  defaultRateLimits,
  destinationOf,
  rateLimitOf,
  rateWindowsOf,
  redactChannelSettings,
  restoreRedactedSecrets,
} from '../src/domain/channel-settings';
import type { OutboundJob } from '../src/domain/outbound-job';
import { formatWebhookSecret } from '../src/domain/standard-webhooks';

const secretA = formatWebhookSecret(Buffer.alloc(32, 1));
const secretB = formatWebhookSecret(Buffer.alloc(32, 2));

const settings: ChannelSettings = {
  email: { from: 'CX Team <cx@example.com>', replyTo: 'support@example.com' },
  slack: {
    targets: {
      alerts: 'https://hooks.slack.com/services/T000/B000/abcdefghijklmnopqrstWXYZ',
      escalations: 'https://hooks.slack.com/services/T000/B001/zyxwvutsrqponmlkjihg1234',
    },
    defaultTarget: 'alerts',
  },
  webhooks: { default: { url: 'https://crm.example.com/hooks/cxloop', secrets: [secretA, secretB] } },
  zendesk: { baseUrl: 'https://acme.zendesk.com', email: 'bot@example.com', apiToken: 'zendesk-token-0123456789abcd' },
  rateLimits: { slack: 2 },
};

const aws = { allowLoopbackHttp: false };
const localRuntime = { allowLoopbackHttp: true };

const issuesOf = (input: unknown, policy = aws) => {
  const result = channelSettingsSchema(policy).safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
};

/** What `PUT /v1/followup-channels` makes of a body, against the stored settings. */
const put = (body: unknown, current: ChannelSettings, policy = aws) =>
  parseOrBadRequest(channelSettingsUpdateSchema(current, policy), body, 'body');
const refusalOf = (body: unknown, current: ChannelSettings, policy = aws): string => {
  try {
    put(body, current, policy);
  } catch (error) {
    if (error instanceof InvalidInputError) return error.message;
    throw error;
  }
  throw new Error('accepted');
};

describe('endpoint URLs', () => {
  const slackUrl = (url: string) => ({ slack: { targets: { alerts: url } } });

  it('in AWS: HTTPS to a host name only, no IP literal in any spelling, no credentials, no plain HTTP', () => {
    expect(issuesOf(slackUrl('https://hooks.slack.com/services/x'))).toEqual([]);
    for (const url of [
      'http://hooks.slack.com/services/x',
      'http://127.0.0.1:8080/hook',
      'http://localhost:8080/hook',
      'http://169.254.169.254/latest/meta-data/',
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://10.0.0.1/hook',
      'https://2130706433/',
      'https://0x7f.1/',
      'https://[::ffff:127.0.0.1]/',
      'https://localhost/',
      'https://metadata/',
      'https://user:pass@example.com/x',
      'ftp://example.com/x',
      'not a url',
    ]) {
      expect(issuesOf(slackUrl(url)), url).toEqual(['slack.targets.alerts']);
    }
  });

  it('on the local runtime: also plain HTTP to loopback, and nothing else that AWS refuses', () => {
    expect(issuesOf(slackUrl('http://127.0.0.1:8080/hook'), localRuntime)).toEqual([]);
    expect(issuesOf(slackUrl('http://localhost:8080/hook'), localRuntime)).toEqual([]);
    expect(issuesOf(slackUrl('http://[::1]:8080/hook'), localRuntime)).toEqual([]);
    expect(issuesOf(slackUrl('http://127.0.0.1.example.com/x'), localRuntime)).toEqual(['slack.targets.alerts']);
    expect(issuesOf(slackUrl('http://10.0.0.1/x'), localRuntime)).toEqual(['slack.targets.alerts']);
    expect(issuesOf(slackUrl('http://user:pass@127.0.0.1/x'), localRuntime)).toEqual(['slack.targets.alerts']);
  });

  it('answers a PUT with an IP literal or plain HTTP in AWS with a 400 naming the field and the reason', () => {
    expect(refusalOf({ webhooks: { crm: { url: 'https://10.1.2.3/hooks', secrets: [secretA] } } }, {})).toBe(
      'body.webhooks.crm.url: must name a host, not an IP address (10.1.2.3)',
    );
    expect(refusalOf(slackUrl('http://hooks.slack.com/services/x'), {})).toBe(
      'body.slack.targets.alerts: must be an https:// URL',
    );
    const zendesk = { baseUrl: 'http://127.0.0.1:9001', email: 'bot@example.com', apiToken: 'x'.repeat(20) };
    expect(refusalOf({ zendesk }, {})).toBe('body.zendesk.baseUrl: must be https://<subdomain>.zendesk.com');
    expect(put({ zendesk }, {}, localRuntime)).toEqual({ zendesk });
  });
});

describe('channelSettingsSchema', () => {
  it('accepts complete settings and an empty document', () => {
    expect(channelSettingsSchema(aws).parse(settings)).toEqual(settings);
    expect(channelSettingsSchema(aws).parse({})).toEqual({});
  });

  it('names each wrong field', () => {
    expect(issuesOf({ slack: { targets: { alerts: 'http://hooks.slack.com/x' } } })).toEqual(['slack.targets.alerts']);
    expect(issuesOf({ slack: { targets: {} } })).toEqual(['slack.targets']);
    expect(issuesOf({ slack: { targets: { alerts: 'https://h.example/x' }, defaultTarget: 'other' } })).toEqual([
      'slack.defaultTarget',
    ]);
    expect(issuesOf({ webhooks: { crm: { url: 'https://crm.example.com', secrets: ['whsec_short'] } } })).toEqual([
      'webhooks.crm.secrets.0',
    ]);
    expect(issuesOf({ webhooks: { crm: { url: 'https://crm.example.com', secrets: [] } } })).toEqual([
      'webhooks.crm.secrets',
    ]);
    expect(issuesOf({ email: { from: 'not an address' } })).toEqual(['email.from']);
    expect(
      issuesOf({ zendesk: { baseUrl: 'https://evil.example.com', email: 'a@example.com', apiToken: 'x'.repeat(20) } }),
    ).toEqual(['zendesk.baseUrl']);
    expect(issuesOf({ rateLimits: { slack: 0.5 } })).toEqual(['rateLimits.slack']);
    expect(issuesOf({ fax: {} })).toEqual(['']);
    expect(issuesOf({ sms: { segmentsPerDay: 0 } })).toEqual(['sms.segmentsPerDay']);
  });
});

describe('rateLimitOf', () => {
  it('uses the configured limit or the channel default (Slack 1/s per webhook, SES 14/s)', () => {
    expect(rateLimitOf(settings, 'slack')).toBe(2);
    expect(rateLimitOf(settings, 'email')).toBe(14);
    expect(rateLimitOf({}, 'slack')).toBe(1);
    expect(defaultRateLimits).toEqual({ email: 14, slack: 1, webhook: 10, zendesk: 3, sms: 1 });
    expect(rateLimitOf({ sms: { segmentsPerSecond: 3 } }, 'sms')).toBe(3);
  });
});

describe('rateWindowsOf', () => {
  it('counts one message a second, and an SMS its segments per second (at most all of them) and of the day', () => {
    const slack = { channel: 'slack', target: 'alerts', url: 'https://hooks.slack.com/x' } as const;
    expect(rateWindowsOf(slack, settings)).toEqual([{ scope: 'slack#alerts', limit: 2, cost: 1, seconds: 1 }]);
    const sms = { channel: 'sms', target: 'sms' } as const;
    expect(rateWindowsOf(sms, {}, 2)).toEqual([
      { scope: 'sms#sms', limit: 1, cost: 1, seconds: 1 },
      { scope: 'sms#sms#day', limit: 200, cost: 2, seconds: 86_400 },
    ]);
    expect(rateWindowsOf(sms, { sms: { segmentsPerSecond: 10, segmentsPerDay: 5000 } }, 2)).toEqual([
      { scope: 'sms#sms', limit: 10, cost: 2, seconds: 1 },
      { scope: 'sms#sms#day', limit: 5000, cost: 2, seconds: 86_400 },
    ]);
  });
});

describe('destinationOf', () => {
  const base = { jobId: 'job_00000001', purpose: 'case_opened' };
  const slackJob = (target?: string): OutboundJob => ({
    ...base,
    channel: 'slack',
    ...(target ? { target } : {}),
    message: { text: 'x', blocks: [] },
  });
  const webhookJob = (target?: string): OutboundJob => ({
    ...base,
    channel: 'webhook',
    ...(target ? { target } : {}),
    type: 'case.opened',
    data: {},
  });

  it('resolves named and default targets by name', () => {
    expect(destinationOf(slackJob('escalations'), settings)).toMatchObject({
      ok: true,
      destination: { channel: 'slack', target: 'escalations' },
    });
    expect(destinationOf(slackJob(), settings)).toMatchObject({ ok: true, destination: { target: 'alerts' } });
    expect(destinationOf(webhookJob(), settings)).toMatchObject({
      ok: true,
      destination: { channel: 'webhook', target: 'default', secrets: [secretA, secretB] },
    });
    const onlyOne: ChannelSettings = { slack: { targets: { team: 'https://h.example/x' } } };
    expect(destinationOf(slackJob(), onlyOne)).toMatchObject({ ok: true, destination: { target: 'team' } });
  });

  it('says what is missing, without URLs', () => {
    expect(destinationOf(slackJob('nope'), settings)).toEqual({
      ok: false,
      error: 'no Slack target nope is configured',
    });
    expect(destinationOf(webhookJob(), {})).toEqual({
      ok: false,
      error: 'no webhook endpoint (default) is configured',
    });
    const emailJob: OutboundJob = {
      ...base,
      channel: 'email',
      to: 'a@example.com',
      locale: 'en',
      template: 'thank_you',
      variables: {},
    };
    expect(destinationOf(emailJob, {})).toMatchObject({ ok: false });
    expect(destinationOf({ ...base, channel: 'zendesk', ticket: {} }, {})).toMatchObject({ ok: false });
  });
});

describe('redaction', () => {
  it('shows no more than the last four characters of any URL path, secret or token', () => {
    const shown = redactChannelSettings(settings);
    expect(shown.slack?.targets).toEqual({
      alerts: 'https://hooks.slack.com/…WXYZ',
      escalations: 'https://hooks.slack.com/…1234',
    });
    expect(shown.webhooks?.default).toEqual({
      url: 'https://crm.example.com/…loop',
      secrets: [`whsec_…${secretA.slice(-4)}`, `whsec_…${secretB.slice(-4)}`],
    });
    expect(shown.zendesk?.apiToken).toBe('…abcd');
    expect(shown.email).toEqual(settings.email);
    const text = JSON.stringify(shown);
    expect(text).not.toContain('abcdefghijklmnop');
    expect(text).not.toContain(secretA.slice(6, 20));
    expect(text).not.toContain('zendesk-token');
  });

  it('keeps current secrets when the redacted values come back, and takes new ones', () => {
    const shown = redactChannelSettings(settings) as Record<string, unknown>;
    const edited = {
      ...shown,
      slack: { ...(shown.slack as object), targets: { ...settings.slack!.targets, alerts: 'https://h.example/new' } },
    };
    const input = {
      ...edited,
      slack: {
        ...(edited.slack as object),
        targets: { alerts: 'https://h.example/new', escalations: 'https://hooks.slack.com/…1234' },
      },
    };
    expect(put(input, settings)).toEqual({
      ...settings,
      slack: { ...settings.slack, targets: { ...settings.slack!.targets, alerts: 'https://h.example/new' } },
    });
  });

  it('takes back everything GET showed, unchanged', () => {
    expect(put(redactChannelSettings(settings), settings)).toEqual(settings);
  });

  it('does not turn a redaction into a secret for a target that did not have one', () => {
    expect(refusalOf({ slack: { targets: { other: 'https://hooks.slack.com/…WXYZ' } } }, settings)).toBe(
      'body.slack.targets.other: is redacted, but no webhook URL is stored under this name: give the URL',
    );
    const { zendesk: _zendesk, ...withoutZendesk } = settings;
    expect(refusalOf({ zendesk: redactChannelSettings(settings).zendesk }, withoutZendesk)).toBe(
      'body.zendesk.apiToken: is redacted, but no API token is stored: give the token',
    );
  });

  it("keeps Zendesk's token only for the same baseUrl: another host needs the token given again", () => {
    const shown = redactChannelSettings(settings);
    const elsewhere = { ...shown, zendesk: { ...shown.zendesk!, baseUrl: 'https://other.zendesk.com' } };
    expect(refusalOf(elsewhere, settings)).toBe(
      'body.zendesk.apiToken: is redacted: give the API token again, baseUrl changed',
    );
    const withToken = { ...elsewhere, zendesk: { ...elsewhere.zendesk, apiToken: 'other-token-0123456789abcdef' } };
    expect(put(withToken, settings).zendesk).toEqual({
      baseUrl: 'https://other.zendesk.com',
      email: 'bot@example.com',
      apiToken: 'other-token-0123456789abcdef',
    });
    expect(put({ ...shown, zendesk: { ...shown.zendesk!, email: 'ops@example.com' } }, settings).zendesk).toEqual({
      ...settings.zendesk,
      email: 'ops@example.com',
    });
  });

  it("keeps a webhook's signing secrets only for the same URL", () => {
    const shown = redactChannelSettings(settings);
    const moved = {
      ...shown,
      webhooks: { default: { url: 'https://elsewhere.example.net/hook', secrets: shown.webhooks!.default!.secrets } },
    };
    expect(refusalOf(moved, settings)).toBe(
      "body.webhooks.default.secrets.0: is redacted: give the secret again, the endpoint's URL changed; " +
        "body.webhooks.default.secrets.1: is redacted: give the secret again, the endpoint's URL changed",
    );
    const renamed = { ...shown, webhooks: { crm: shown.webhooks!.default! } };
    expect(refusalOf(renamed, settings)).toContain(
      'body.webhooks.crm.url: is redacted, but no endpoint URL is stored under this name: give the URL',
    );
    const rotated = { ...shown, webhooks: { default: { ...shown.webhooks!.default!, secrets: [secretB] } } };
    expect(put(rotated, settings).webhooks?.default).toEqual({
      url: settings.webhooks!.default!.url,
      secrets: [secretB],
    });
  });

  it('has nothing to restore or refuse when nothing is redacted', () => {
    expect(restoreRedactedSecrets({ ...settings }, {})).toEqual({ value: settings, issues: [] });
  });
});
