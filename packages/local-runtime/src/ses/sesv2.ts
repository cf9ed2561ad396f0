import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-api/aws-error';
import type { Clock } from '../clock';

type Json = Record<string, unknown>;

/** A message SendEmail accepted, as `runtime.outbox()` shows it. */
export interface SentEmail {
  messageId: string;
  /** ISO time the runtime accepted it. */
  sentAt: string;
  from?: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject?: string;
  text?: string;
  html?: string;
  headers: Array<{ Name: string; Value: string }>;
  /** A Raw message's MIME text. */
  raw?: string;
  template?: { name?: string; arn?: string; data?: string };
  configurationSetName?: string;
  listManagementOptions?: { ContactListName: string; TopicName?: string };
  emailTags: Array<{ Name: string; Value: string }>;
  /** The request as the client sent it. */
  request: Json;
}

/**
 * SESv2 SendEmail: every accepted message goes to an inspectable outbox instead of the internet. `failNext(n)`
 * throttles the next n sends (TooManyRequestsException, HTTP 429, which SDK clients retry).
 */
export class SesV2 {
  private readonly sent: SentEmail[] = [];
  private throttled = 0;

  constructor(private readonly clock: Clock) {}

  outbox(): SentEmail[] {
    return [...this.sent];
  }

  failNext(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new Error(`failNext needs a whole number, got ${count}`);
    this.throttled = count;
  }

  handle(method: string, path: string, input: Json): unknown {
    if (method === 'POST' && path === '/v2/email/outbound-emails') return this.sendEmail(input);
    throw new AwsError('UnknownOperationException', `The local runtime does not implement SESv2 ${method} ${path}`);
  }

  private sendEmail(input: Json): { MessageId: string } {
    const content = (input.Content ?? {}) as Json;
    const simple = content.Simple as Json | undefined;
    const raw = content.Raw as { Data?: string } | undefined;
    const template = content.Template as
      | { TemplateName?: string; TemplateArn?: string; TemplateData?: string }
      | undefined;
    if (!simple && !raw && !template) throw badRequest('Content must contain Simple, Raw or Template.');
    const destination = (input.Destination ?? {}) as {
      ToAddresses?: string[];
      CcAddresses?: string[];
      BccAddresses?: string[];
    };
    const to = destination.ToAddresses ?? [];
    const cc = destination.CcAddresses ?? [];
    const bcc = destination.BccAddresses ?? [];
    const from = typeof input.FromEmailAddress === 'string' ? input.FromEmailAddress : undefined;
    if (!raw && to.length + cc.length + bcc.length === 0) throw badRequest('Missing required field Destination.');
    if (!raw && !from) throw badRequest('Missing required field FromEmailAddress.');
    if (simple && typeof (simple.Subject as Json | undefined)?.Data !== 'string') {
      throw badRequest('Missing required field Subject.');
    }
    if (this.throttled > 0) {
      this.throttled -= 1;
      throw new AwsError('TooManyRequestsException', 'Maximum sending rate exceeded.', 429);
    }
    const body = (simple?.Body ?? {}) as { Text?: { Data?: string }; Html?: { Data?: string } };
    const messageId = `${randomUUID()}-000000`;
    const list = input.ListManagementOptions as SentEmail['listManagementOptions'];
    this.sent.push({
      messageId,
      sentAt: new Date(this.clock.now()).toISOString(),
      ...(from ? { from } : {}),
      to,
      cc,
      bcc,
      replyTo: (input.ReplyToAddresses as string[] | undefined) ?? [],
      ...(simple ? { subject: (simple.Subject as { Data: string }).Data } : {}),
      ...(body.Text?.Data !== undefined ? { text: body.Text.Data } : {}),
      ...(body.Html?.Data !== undefined ? { html: body.Html.Data } : {}),
      headers: (simple?.Headers as SentEmail['headers'] | undefined) ?? [],
      ...(raw?.Data !== undefined ? { raw: Buffer.from(raw.Data, 'base64').toString('utf8') } : {}),
      ...(template
        ? { template: { name: template.TemplateName, arn: template.TemplateArn, data: template.TemplateData } }
        : {}),
      ...(typeof input.ConfigurationSetName === 'string' ? { configurationSetName: input.ConfigurationSetName } : {}),
      ...(list ? { listManagementOptions: list } : {}),
      emailTags: (input.EmailTags as SentEmail['emailTags'] | undefined) ?? [],
      request: input,
    });
    return { MessageId: messageId };
  }
}

function badRequest(message: string): AwsError {
  return new AwsError('BadRequestException', message, 400);
}
