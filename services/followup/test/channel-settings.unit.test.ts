import { describe, expect, it } from 'vitest';
import {
  type ChannelSettings,
  channelSettingsSchema,
  defaultRateLimits,
  destinationOf,
  isAllowedEndpointUrl,
  rateLimitOf,
  redactChannelSettings,
  restoreRedactedSecrets,
} from '../src/domain/channel-settings';
import type { OutboundJob } from '../src/domain/outbound-job';
import { formatWebhookSecret } from '../src/domain/standard-webhooks';
import { cachedSettings } from '../src/store/channel-settings';

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

const issuesOf = (input: unknown) => {
  const result = channelSettingsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
};

describe('isAllowedEndpointUrl', () => {
  it('accepts HTTPS anywhere and plain HTTP only on loopback', () => {
    expect(isAllowedEndpointUrl('https://hooks.slack.com/services/x')).toBe(true);
    expect(isAllowedEndpointUrl('http://127.0.0.1:8080/hook')).toBe(true);
    expect(isAllowedEndpointUrl('http://localhost:8080/hook')).toBe(true);
    expect(isAllowedEndpointUrl('http://[::1]:8080/hook')).toBe(true);
    expect(isAllowedEndpointUrl('http://hooks.slack.com/services/x')).toBe(false);
    expect(isAllowedEndpointUrl('http://127.0.0.1.example.com/x')).toBe(false);
    expect(isAllowedEndpointUrl('ftp://example.com/x')).toBe(false);
    expect(isAllowedEndpointUrl('https://user:pass@example.com/x')).toBe(false);
    expect(isAllowedEndpointUrl('not a url')).toBe(false);
  });
});

describe('channelSettingsSchema', () => {
  it('accepts complete settings and an empty document', () => {
    expect(channelSettingsSchema.parse(settings)).toEqual(settings);
    expect(channelSettingsSchema.parse({})).toEqual({});
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
    expect(issuesOf({ sms: {} })).toEqual(['']);
  });
});

describe('rateLimitOf', () => {
  it('uses the configured limit or the channel default (Slack 1/s per webhook, SES 14/s)', () => {
    expect(rateLimitOf(settings, 'slack')).toBe(2);
    expect(rateLimitOf(settings, 'email')).toBe(14);
    expect(rateLimitOf({}, 'slack')).toBe(1);
    expect(defaultRateLimits).toEqual({ email: 14, slack: 1, webhook: 10, zendesk: 3 });
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
    const restored = channelSettingsSchema.parse(restoreRedactedSecrets(input, settings));
    expect(restored).toEqual({
      ...settings,
      slack: { ...settings.slack, targets: { ...settings.slack!.targets, alerts: 'https://h.example/new' } },
    });
  });

  it('does not turn a redaction into a secret for a target that did not have one', () => {
    const input = { slack: { targets: { other: 'https://hooks.slack.com/…WXYZ' } } };
    expect(restoreRedactedSecrets(input, settings)).toEqual(input);
  });
});

describe('cachedSettings', () => {
  it('reads at most once per max age, and not again after a failure is over', async () => {
    let clock = 0;
    let reads = 0;
    let fail = false;
    const read = async () => {
      reads += 1;
      if (fail) throw new Error('unavailable');
      return { rateLimits: { slack: reads } };
    };
    const settingsNow = cachedSettings(read, { maxAgeMs: 10_000, clock: () => clock });
    expect(await Promise.all([settingsNow(), settingsNow()])).toEqual([
      { rateLimits: { slack: 1 } },
      { rateLimits: { slack: 1 } },
    ]);
    clock = 9_999;
    expect(await settingsNow()).toEqual({ rateLimits: { slack: 1 } });
    clock = 10_000;
    fail = true;
    await expect(settingsNow()).rejects.toThrow('unavailable');
    fail = false;
    expect(await settingsNow()).toEqual({ rateLimits: { slack: 3 } });
    expect(reads).toBe(3);
  });
});
