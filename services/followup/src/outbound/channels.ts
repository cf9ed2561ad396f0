import { type PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Destination } from '../domain/channel-settings';
import {
  type DeliveryOutcome,
  outcomeOfHttpStatus,
  outcomeOfRequestError,
  outcomeOfSesError,
  outcomeOfSmsError,
  safeErrorText,
} from '../domain/delivery';
import {
  InvalidUnsubscribeUrlError,
  renderEmail,
  renderWebhookBody,
  UnknownTemplateError,
  unsubscribeToken,
} from '../domain/messages';
import type { OutboundJob } from '../domain/outbound-job';
import { renderSms } from '../domain/sms';
import { signWebhook } from '../domain/standard-webhooks';
import type { OutboundUrlPolicy } from '../domain/url-policy';
import { outboundHttp, type ResolveHost, type Transport } from './http';

/** One delivery attempt of a job to its resolved destination. */
export type DeliverToChannel = (
  destination: Destination,
  job: OutboundJob,
  context: { now: Date; lookupFirst: boolean },
) => Promise<DeliveryOutcome>;

export interface ChannelDriverOptions {
  ses: SESv2Client;
  /** Base URL of the public API, for unsubscribe links (`PUBLIC_API_URL`). */
  publicApiUrl: string | undefined;
  /** Key bytes of the `UnsubscribeKey` secret (its string value, UTF-8). */
  unsubscribeKey: () => Promise<Uint8Array>;
  /** The stack's SES configuration set (bounces and complaints to EventBridge); settings may name another. */
  defaultConfigurationSet: string | undefined;
  /**
   * AWS End User Messaging SMS, and the stack's origination identity (a phone number, sender id or pool ARN from the
   * `cxloop:smsOriginationIdentity` context); without one every SMS fails as not configured.
   */
  sms: { client: PinpointSMSVoiceV2Client; originationIdentity: string | undefined };
  /** Per request (default 10 s): a receiver that hangs counts as a transient failure. */
  timeoutMs?: number;
  /** Which URLs may be called: `outboundUrlPolicyOf(process.env)`. */
  urlPolicy: OutboundUrlPolicy;
  /** DNS and the wire, replaced in tests. */
  resolve?: ResolveHost;
  transport?: Transport;
}

const USER_AGENT = 'cxloop-followup/1 (+https://github.com/cxloop/cxloop)';

/**
 * The five channels behind one function. Every HTTP request goes through `outboundHttp` (the outbound URL policy,
 * checked addresses only, bodies read up to a cap), has a timeout, follows no redirects (a redirect would re-send a
 * signed body somewhere else) and is classified by `outcomeOf*`; nothing here logs or returns a URL's path or a body.
 */
export function channelDrivers(options: ChannelDriverOptions): DeliverToChannel {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const send = outboundHttp({ policy: options.urlPolicy, resolve: options.resolve, transport: options.transport });

  async function request(
    url: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
    now: Date,
  ): Promise<{ outcome: DeliveryOutcome; body: string }> {
    try {
      const response = await send(url, {
        ...init,
        headers: { 'user-agent': USER_AGENT, ...init.headers },
        signal: AbortSignal.timeout(timeoutMs),
      });
      return {
        outcome: outcomeOfHttpStatus(response.status, response.header('retry-after'), now),
        body: response.body,
      };
    } catch (error) {
      return { outcome: outcomeOfRequestError(error), body: '' };
    }
  }

  async function slack(destination: Extract<Destination, { channel: 'slack' }>, job: OutboundJob, now: Date) {
    if (job.channel !== 'slack') throw new Error('not a Slack job');
    const body = JSON.stringify({
      text: job.message.text,
      ...(job.message.blocks.length > 0 ? { blocks: job.message.blocks } : {}),
    });
    const { outcome, body: text } = await request(
      destination.url,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body },
      now,
    );
    // Slack answers errors with a short code ("invalid_blocks", "channel_is_archived"): worth keeping.
    return outcome.kind === 'sent' || !/^[a-z_]{1,64}$/.test(text.trim())
      ? outcome
      : { ...outcome, error: `${outcome.error} ${text.trim()}` };
  }

  async function webhook(destination: Extract<Destination, { channel: 'webhook' }>, job: OutboundJob, now: Date) {
    if (job.channel !== 'webhook') throw new Error('not a webhook job');
    const body = renderWebhookBody(job.type, job.data, now);
    const headers = signWebhook({ id: job.jobId, timestamp: now, body, secrets: destination.secrets });
    const { outcome } = await request(
      destination.url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body },
      now,
    );
    return outcome;
  }

  async function zendesk(
    destination: Extract<Destination, { channel: 'zendesk' }>,
    job: OutboundJob,
    now: Date,
    lookupFirst: boolean,
  ): Promise<DeliveryOutcome> {
    if (job.channel !== 'zendesk') throw new Error('not a Zendesk job');
    const { baseUrl, email, apiToken } = destination.zendesk;
    const authorization = `Basic ${Buffer.from(`${email}/token:${apiToken}`, 'utf8').toString('base64')}`;
    const requested = (job.ticket.ticket ?? job.ticket) as Record<string, unknown>;
    const externalId = typeof requested.external_id === 'string' ? requested.external_id : job.jobId;
    if (lookupFirst) {
      // An earlier attempt may have created the ticket before failing: find it by its external_id.
      const { outcome, body } = await request(
        `${baseUrl}/api/v2/tickets.json?external_id=${encodeURIComponent(externalId)}`,
        { method: 'GET', headers: { authorization, accept: 'application/json' } },
        now,
      );
      if (outcome.kind !== 'sent') return { ...outcome, error: `ticket lookup: ${outcome.error}` };
      const found = parseJson(body) as { tickets?: Array<{ id?: number }> } | undefined;
      const existing = found?.tickets?.[0];
      if (existing) return { kind: 'sent', ...(existing.id === undefined ? {} : { providerId: String(existing.id) }) };
    }
    const { outcome, body } = await request(
      `${baseUrl}/api/v2/tickets.json`,
      {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ ticket: { ...requested, external_id: externalId } }),
      },
      now,
    );
    const created = parseJson(body) as { ticket?: { id?: number } } | undefined;
    return outcome.kind === 'sent' && created?.ticket?.id !== undefined
      ? { kind: 'sent', providerId: String(created.ticket.id) }
      : outcome;
  }

  async function email(
    destination: Extract<Destination, { channel: 'email' }>,
    job: OutboundJob,
  ): Promise<DeliveryOutcome> {
    if (job.channel !== 'email') throw new Error('not an e-mail job');
    if (!options.publicApiUrl) return { kind: 'permanent', error: 'PUBLIC_API_URL is not set: no unsubscribe link' };
    const personKey = job.personKey ?? `email:${job.to.toLowerCase()}`;
    const token = unsubscribeToken(personKey, await options.unsubscribeKey());
    let rendered: ReturnType<typeof renderEmail>;
    try {
      rendered = renderEmail({
        template: job.template,
        locale: job.locale,
        unsubscribeUrl: `${options.publicApiUrl.replace(/\/+$/, '')}/u/${token}`,
        variables: job.variables,
      });
    } catch (error) {
      if (error instanceof UnknownTemplateError || error instanceof InvalidUnsubscribeUrlError) {
        return { kind: 'permanent', error: safeErrorText(error.message) };
      }
      throw error;
    }
    const configurationSetName = destination.email.configurationSetName ?? options.defaultConfigurationSet;
    try {
      const result = await options.ses.send(
        new SendEmailCommand({
          FromEmailAddress: destination.email.from,
          Destination: { ToAddresses: [job.to] },
          ...(destination.email.replyTo ? { ReplyToAddresses: [destination.email.replyTo] } : {}),
          Content: {
            Simple: {
              Subject: { Data: rendered.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: rendered.text, Charset: 'UTF-8' },
                Html: { Data: rendered.html, Charset: 'UTF-8' },
              },
              Headers: Object.entries(rendered.headers).map(([Name, Value]) => ({ Name, Value })),
            },
          },
          ...(configurationSetName ? { ConfigurationSetName: configurationSetName } : {}),
          // Tags come back in SES's bounce/complaint events, so they can be tied to the job without an address.
          EmailTags: [
            { Name: 'cxloop_job', Value: job.jobId },
            { Name: 'cxloop_purpose', Value: job.purpose },
          ],
        }),
      );
      return { kind: 'sent', ...(result.MessageId ? { providerId: result.MessageId } : {}) };
    } catch (error) {
      return outcomeOfSesError(error);
    }
  }

  async function sms(job: OutboundJob): Promise<DeliveryOutcome> {
    if (job.channel !== 'sms') throw new Error('not an SMS job');
    const { client, originationIdentity } = options.sms;
    if (!originationIdentity) {
      return { kind: 'permanent', error: 'SMS is not configured (CDK context cxloop:smsOriginationIdentity)' };
    }
    let text: string;
    try {
      text = renderSms(job);
    } catch (error) {
      if (error instanceof UnknownTemplateError) return { kind: 'permanent', error: safeErrorText(error.message) };
      throw error;
    }
    try {
      const result = await client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: job.to,
          OriginationIdentity: originationIdentity,
          MessageBody: text,
          MessageType: 'TRANSACTIONAL',
          // Context comes back in the delivery events, tying them to the job without the number.
          Context: { cxloop_job: job.jobId, cxloop_purpose: job.purpose },
        }),
      );
      return { kind: 'sent', ...(result.MessageId ? { providerId: result.MessageId } : {}) };
    } catch (error) {
      return outcomeOfSmsError(error);
    }
  }

  return async (destination, job, context) => {
    switch (destination.channel) {
      case 'slack':
        return slack(destination, job, context.now);
      case 'webhook':
        return webhook(destination, job, context.now);
      case 'zendesk':
        return zendesk(destination, job, context.now, context.lookupFirst);
      case 'email':
        return email(destination, job);
      case 'sms':
        return sms(job);
    }
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
