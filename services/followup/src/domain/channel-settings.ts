import * as z from 'zod';
import type { OutboundJob } from './outbound-job';
import { defaultSmsLimits, smsLimitsSchema } from './sms';
import { webhookSecretKey } from './standard-webhooks';
import { checkOutboundUrl, type OutboundUrlPolicy, outboundUrlSchema } from './url-policy';

/**
 * Where follow-up messages go: the e-mail sender, named Slack incoming webhooks, named outbound webhooks with their
 * signing secrets, an optional Zendesk account, and per-channel rate limits. Kept as one JSON document in the
 * `ChannelSettings` secret (it holds webhook URLs and tokens), edited through `PUT /v1/followup-channels`.
 */

const targetName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { message: 'must be 1–64 letters, digits, "_" or "-"' });

const webhookSecret = z.string().refine(
  (secret) => {
    if (!secret.startsWith('whsec_')) return false;
    try {
      webhookSecretKey(secret);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be whsec_ followed by the base64 of 24–64 random bytes' },
);

/** `ops@example.com` or `Example Support <ops@example.com>`. */
const senderAddress = z
  .string()
  .max(320)
  .refine((value) => z.email().safeParse(/<([^<>]+)>\s*$/.exec(value)?.[1] ?? value).success, {
    message: 'must be an e-mail address, optionally as "Name <address>"',
  });

/** Fixed one-second windows, so whole messages per second (a fractional rate would need longer windows). */
const messagesPerSecond = z.number().int().min(1).max(1000);

export const channelNames = ['email', 'slack', 'webhook', 'zendesk', 'sms'] as const;
export type ChannelName = (typeof channelNames)[number];

/**
 * Defaults per target (one Slack webhook, one webhook endpoint, the SES account, the Zendesk account):
 * - Slack: "no more than one message per second" per incoming webhook, short bursts tolerated, then HTTP 429 with
 *   Retry-After (https://api.slack.com/docs/rate-limits).
 * - SES: 14 messages per second, the usual starting quota of a production SES account (raise it with your quota).
 * - Outbound webhooks: 10 per second, gentle on customers' endpoints.
 * - Zendesk: 3 per second, below the 200 requests per minute of the smallest plans that have the tickets API.
 * - SMS: counted in segments, not messages (see `defaultSmsLimits`, and `sms` in the settings).
 */
export const defaultRateLimits: Readonly<Record<ChannelName, number>> = {
  email: 14,
  slack: 1,
  webhook: 10,
  zendesk: 3,
  sms: defaultSmsLimits.segmentsPerSecond,
};

const ZENDESK_BASE_URL = /^https:\/\/[a-z0-9][a-z0-9-]{0,62}\.zendesk\.com$/;

/** The settings document, with every URL the sender calls validated by the outbound URL policy. */
export function channelSettingsSchema(policy: OutboundUrlPolicy) {
  const endpointUrl = outboundUrlSchema(policy);
  return z.strictObject({
    email: z
      .strictObject({
        from: senderAddress.describe('A verified SES identity'),
        replyTo: z.email().optional(),
        configurationSetName: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/)
          .optional()
          .describe("Default: the stack's configuration set, which publishes bounces and complaints"),
      })
      .optional(),
    slack: z
      .strictObject({
        targets: z
          .record(targetName, endpointUrl)
          .refine((targets) => Object.keys(targets).length > 0, { message: 'needs at least one incoming webhook' }),
        defaultTarget: targetName.optional(),
      })
      .refine((slack) => slack.defaultTarget === undefined || slack.defaultTarget in slack.targets, {
        message: 'must name one of the targets',
        path: ['defaultTarget'],
      })
      .optional(),
    webhooks: z
      .record(
        targetName,
        z.strictObject({
          url: endpointUrl,
          secrets: z
            .array(webhookSecret)
            .min(1)
            .max(5)
            .describe('Signing secrets, newest first: several during a rotation, each one signs every message'),
        }),
      )
      .optional(),
    zendesk: z
      .strictObject({
        baseUrl: z.string().refine(
          (url) => {
            if (ZENDESK_BASE_URL.test(url)) return true;
            const checked = checkOutboundUrl(url, policy);
            return checked.ok && checked.target.loopback;
          },
          { message: 'must be https://<subdomain>.zendesk.com' },
        ),
        email: z.email(),
        apiToken: z.string().min(16).max(200),
      })
      .optional(),
    sms: smsLimitsSchema
      .optional()
      .describe("Segments per second and per UTC day; the origination identity is the stack's (CDK context)"),
    rateLimits: z
      .strictObject({
        email: messagesPerSecond.optional(),
        slack: messagesPerSecond.optional(),
        webhook: messagesPerSecond.optional(),
        zendesk: messagesPerSecond.optional(),
      })
      .optional()
      .describe('Messages per second per target; defaults in defaultRateLimits'),
  });
}
export type ChannelSettings = z.output<ReturnType<typeof channelSettingsSchema>>;

export function rateLimitOf(settings: ChannelSettings, channel: ChannelName): number {
  if (channel === 'sms') return settings.sms?.segmentsPerSecond ?? defaultRateLimits.sms;
  return settings.rateLimits?.[channel] ?? defaultRateLimits[channel];
}

/** A fixed window a send takes `cost` slots of, out of `limit`: one second, or (for the SMS budget) a UTC day. */
export interface RateWindow {
  scope: string;
  limit: number;
  cost: number;
  seconds: number;
}

export const DAY_SECONDS = 86_400;

/**
 * The windows one send to a destination counts against. One slot per message of the target's per-second limit;
 * an SMS costs its segments, of the per-second limit (at most the whole of it, so a long text still goes) and of
 * the daily budget.
 */
export function rateWindowsOf(destination: Destination, settings: ChannelSettings, segments = 1): RateWindow[] {
  const scope = `${destination.channel}#${destination.target}`;
  const limit = rateLimitOf(settings, destination.channel);
  if (destination.channel !== 'sms') return [{ scope, limit, cost: 1, seconds: 1 }];
  return [
    { scope, limit, cost: Math.min(segments, limit), seconds: 1 },
    {
      scope: `${scope}#day`,
      limit: settings.sms?.segmentsPerDay ?? defaultSmsLimits.segmentsPerDay,
      cost: segments,
      seconds: DAY_SECONDS,
    },
  ];
}

/** Where one job goes, resolved against the settings; `target` is a name, never a URL (it is logged and stored). */
export type Destination =
  | { channel: 'email'; target: 'ses'; email: NonNullable<ChannelSettings['email']> }
  | { channel: 'slack'; target: string; url: string }
  | { channel: 'webhook'; target: string; url: string; secrets: readonly [string, ...string[]] }
  | { channel: 'zendesk'; target: 'api'; zendesk: NonNullable<ChannelSettings['zendesk']> }
  | { channel: 'sms'; target: 'sms' };

export type DestinationResult = { ok: true; destination: Destination } | { ok: false; error: string };

/**
 * The configured destination of a job. A job without a target goes to the default: Slack's `defaultTarget` (or its
 * only target), the webhook named `default` (or the only one).
 */
export function destinationOf(job: OutboundJob, settings: ChannelSettings): DestinationResult {
  switch (job.channel) {
    case 'email':
      return settings.email
        ? { ok: true, destination: { channel: 'email', target: 'ses', email: settings.email } }
        : { ok: false, error: 'e-mail is not configured (email.from)' };
    case 'slack': {
      const targets = settings.slack?.targets ?? {};
      const name = job.target ?? settings.slack?.defaultTarget ?? onlyKey(targets);
      const url = name === undefined ? undefined : targets[name];
      if (name === undefined || url === undefined) {
        return { ok: false, error: `no Slack target ${job.target ?? '(default)'} is configured` };
      }
      return { ok: true, destination: { channel: 'slack', target: name, url } };
    }
    case 'webhook': {
      const endpoints = settings.webhooks ?? {};
      const name = job.target ?? ('default' in endpoints ? 'default' : onlyKey(endpoints));
      const endpoint = name === undefined ? undefined : endpoints[name];
      if (name === undefined || endpoint === undefined) {
        return { ok: false, error: `no webhook endpoint ${job.target ?? '(default)'} is configured` };
      }
      const [first, ...rest] = endpoint.secrets;
      if (first === undefined) return { ok: false, error: `webhook endpoint ${name} has no secret` };
      return {
        ok: true,
        destination: { channel: 'webhook', target: name, url: endpoint.url, secrets: [first, ...rest] },
      };
    }
    case 'zendesk':
      return settings.zendesk
        ? { ok: true, destination: { channel: 'zendesk', target: 'api', zendesk: settings.zendesk } }
        : { ok: false, error: 'Zendesk is not configured' };
    case 'sms':
      // Its origination identity is the stack's, not a setting: the sender knows whether it has one.
      return { ok: true, destination: { channel: 'sms', target: 'sms' } };
  }
}

function onlyKey(record: Record<string, unknown>): string | undefined {
  const keys = Object.keys(record);
  return keys.length === 1 ? keys[0] : undefined;
}

const ELLIPSIS = '…';

/** Enough of a secret to recognise it: its last four characters. */
export function redactSecret(secret: string, prefix = ''): string {
  return `${prefix}${ELLIPSIS}${secret.slice(-4)}`;
}

/** The origin of a URL and the last four characters of the rest (a Slack webhook URL is a bearer token). */
export function redactUrl(value: string): string {
  try {
    return redactSecret(value, `${new URL(value).origin}/`);
  } catch {
    return redactSecret(value);
  }
}

/** The settings as `GET /v1/followup-channels` shows them: URLs and secrets reduced to their last four characters. */
export function redactChannelSettings(settings: ChannelSettings): ChannelSettings {
  return {
    ...settings,
    ...(settings.slack
      ? {
          slack: {
            ...settings.slack,
            targets: Object.fromEntries(
              Object.entries(settings.slack.targets).map(([name, url]) => [name, redactUrl(url)]),
            ),
          },
        }
      : {}),
    ...(settings.webhooks
      ? {
          webhooks: Object.fromEntries(
            Object.entries(settings.webhooks).map(([name, endpoint]) => [
              name,
              {
                url: redactUrl(endpoint.url),
                secrets: endpoint.secrets.map((secret) => redactSecret(secret, 'whsec_')),
              },
            ]),
          ),
        }
      : {}),
    ...(settings.zendesk
      ? { zendesk: { ...settings.zendesk, apiToken: redactSecret(settings.zendesk.apiToken) } }
      : {}),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field of a settings update that cannot be taken as it is. */
export interface SettingsIssue {
  path: string[];
  message: string;
}

/** What `redactSecret` and `redactUrl` leave: an ellipsis and at most four characters. */
const REDACTED = /…[^…]{0,4}$/u;
const looksRedacted = (value: unknown): boolean => typeof value === 'string' && REDACTED.test(value);

/**
 * Lets an admin send back what GET showed: a value equal to the redaction of the current value at the same place
 * keeps the current value (so changing one Slack target does not require re-entering every secret), but only while
 * the secret still goes where it went: a webhook's signing secrets with its URL, Zendesk's API token with its
 * `baseUrl`. Otherwise, and for a redaction of nothing stored, the field must be given again (an issue naming it).
 * Anything else is taken as given, to be validated.
 */
export function restoreRedactedSecrets(
  input: Record<string, unknown>,
  current: ChannelSettings,
): { value: Record<string, unknown>; issues: SettingsIssue[] } {
  const issues: SettingsIssue[] = [];
  const restored: Record<string, unknown> = { ...input };
  const slack = input.slack;
  if (isRecord(slack) && isRecord(slack.targets)) {
    const currentTargets = current.slack?.targets ?? {};
    restored.slack = {
      ...slack,
      targets: Object.fromEntries(
        Object.entries(slack.targets).map(([name, url]) => {
          const known = currentTargets[name];
          if (known !== undefined && url === redactUrl(known)) return [name, known];
          if (looksRedacted(url)) {
            issues.push({
              path: ['slack', 'targets', name],
              message: 'is redacted, but no webhook URL is stored under this name: give the URL',
            });
          }
          return [name, url];
        }),
      ),
    };
  }
  const webhooks = input.webhooks;
  if (isRecord(webhooks)) {
    const currentWebhooks = current.webhooks ?? {};
    restored.webhooks = Object.fromEntries(
      Object.entries(webhooks).map(([name, endpoint]) => {
        if (!isRecord(endpoint)) return [name, endpoint];
        const known = currentWebhooks[name];
        let url = endpoint.url;
        if (known && url === redactUrl(known.url)) {
          url = known.url;
        } else if (looksRedacted(url)) {
          issues.push({
            path: ['webhooks', name, 'url'],
            message: 'is redacted, but no endpoint URL is stored under this name: give the URL',
          });
        }
        const sameDestination = known !== undefined && url === known.url;
        const secrets = Array.isArray(endpoint.secrets)
          ? endpoint.secrets.map((secret: unknown, index) => {
              const kept = known?.secrets.find((candidate) => secret === redactSecret(candidate, 'whsec_'));
              if (kept !== undefined && sameDestination) return kept;
              if (kept !== undefined || looksRedacted(secret)) {
                issues.push({
                  path: ['webhooks', name, 'secrets', String(index)],
                  message:
                    kept === undefined
                      ? 'is redacted, but no such secret is stored for this endpoint: give the secret'
                      : "is redacted: give the secret again, the endpoint's URL changed",
                });
              }
              return secret;
            })
          : endpoint.secrets;
        return [name, { ...endpoint, url, secrets }];
      }),
    );
  }
  const zendesk = input.zendesk;
  if (isRecord(zendesk)) {
    const known = current.zendesk;
    const kept = known !== undefined && zendesk.apiToken === redactSecret(known.apiToken);
    if (kept && zendesk.baseUrl === known.baseUrl) {
      restored.zendesk = { ...zendesk, apiToken: known.apiToken };
    } else if (kept || looksRedacted(zendesk.apiToken)) {
      issues.push({
        path: ['zendesk', 'apiToken'],
        message: kept
          ? 'is redacted: give the API token again, baseUrl changed'
          : 'is redacted, but no API token is stored: give the token',
      });
    }
  }
  return { value: restored, issues };
}

/**
 * A `PUT /v1/followup-channels` body against the stored settings: redacted secrets restored where they may be
 * (see `restoreRedactedSecrets`), then the whole document validated by the outbound URL policy.
 */
export function channelSettingsUpdateSchema(current: ChannelSettings, policy: OutboundUrlPolicy) {
  return z
    .record(z.string(), z.unknown())
    .transform((input, context) => {
      const { value, issues } = restoreRedactedSecrets(input, current);
      for (const issue of issues) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      return value;
    })
    .pipe(channelSettingsSchema(policy));
}
