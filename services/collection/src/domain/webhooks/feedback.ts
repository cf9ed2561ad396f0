import { createHash } from 'node:crypto';
import { feedbackSchema, type Score } from '@cxloop/events';
import * as z from 'zod';

/**
 * One piece of feedback as a provider delivered it: the `FeedbackReceived` data without what collection assigns when it
 * stores it (`feedbackId`, `revision`, `receivedAt`), plus the key that identifies the response in its source.
 */
export const normalisedFeedbackSchema = feedbackSchema
  .omit({ feedbackId: true, revision: true, receivedAt: true })
  .extend({
    externalKey: z
      .string()
      .min(1)
      .max(300)
      .describe(
        'Stable identity of the response in its source (zendesk:ticket:123); a later delivery is a new revision',
      ),
  });
export type NormalisedFeedback = z.input<typeof normalisedFeedbackSchema>;

/** What collection has to fetch from the provider's API because the delivery carries ids only. */
export type FetchRequiredResource =
  | {
      provider: 'surveymonkey';
      eventType: 'response_completed' | 'response_updated';
      surveyId: string;
      responseId: string;
      collectorId?: string;
      /** Relative to https://api.surveymonkey.com */
      detailsPath: string;
    }
  | {
      provider: 'google_business_profile';
      notificationType: 'NEW_REVIEW' | 'UPDATED_REVIEW';
      /** accounts/{account}/locations/{location}/reviews/{review}: fetch with accounts.locations.reviews.get */
      reviewName: string;
      locationName?: string;
    };

export type WebhookNormalisation =
  | { kind: 'feedback'; deliveryId: string; items: NormalisedFeedback[] }
  | { kind: 'ignored'; deliveryId?: string; reason: string }
  | { kind: 'fetch_required'; deliveryId: string; resource: FetchRequiredResource };

/**
 * The body does not have the shape its provider (or the integration's field mapping) promises. Answer 400 so that the
 * provider shows the failure to the admin; the message names fields, never their values.
 */
export class WebhookPayloadError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message);
    this.name = 'WebhookPayloadError';
  }
}

export function parsePayload<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new WebhookPayloadError(
    `${what} has an unexpected shape`,
    result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`),
  );
}

/** Validates a normalised item against the event contract so that a bad item fails here, not in a consumer. */
export function finishFeedback(item: NormalisedFeedback): NormalisedFeedback {
  return parsePayload(normalisedFeedbackSchema, item, `normalised ${item.source} feedback`);
}

export function scoreOnScale(value: number, scale: { min: number; max: number }, original?: string | number): Score {
  if (!Number.isFinite(value) || value < scale.min || value > scale.max) {
    throw new WebhookPayloadError(`score is outside its scale ${scale.min}..${scale.max}`);
  }
  return {
    value,
    min: scale.min,
    max: scale.max,
    normalised: (value - scale.min) / (scale.max - scale.min),
    ...(original === undefined ? {} : { original }),
  };
}

export function isoFromEpochSeconds(seconds: number, nanos = 0): string {
  return new Date(seconds * 1000 + Math.floor(nanos / 1_000_000)).toISOString();
}

export function isoFromDateString(value: string, field: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new WebhookPayloadError(`${field} is not a date`);
  return new Date(time).toISOString();
}

const maxTextLength = 20_000;

/** Trims provider text; empty becomes absent and over-long text is cut to what the contract accepts. */
export function cleanText(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  return trimmed.length > maxTextLength ? trimmed.slice(0, maxTextLength) : trimmed;
}

const emailSchema = z.email();

/** Providers send placeholders, blanks and obfuscated addresses; only a real address is kept. */
export function validEmail(value: unknown): string | undefined {
  const result = emailSchema.safeParse(typeof value === 'string' ? value.trim() : value);
  return result.success ? result.data : undefined;
}

export function respondentId(value: unknown): string | undefined {
  const id = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  return id && id.length <= 200 ? id : undefined;
}

export function localeHint(value: unknown): string | undefined {
  const locale = typeof value === 'string' ? value.trim() : undefined;
  return locale && locale.length >= 2 && locale.length <= 35 ? locale : undefined;
}

type AttributeValue = string | number | boolean;
const maxAttributeKey = 64;
const maxAttributeString = 500;

/**
 * Keeps the scalar entries of a provider's custom properties, cut to the limits of `customerAttributesSchema`. E-mail
 * addresses are dropped: attributes reach every consumer, while the respondent's address has its own guarded field.
 */
export function scalarAttributes(record: Record<string, unknown> | null | undefined): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    if (key.length === 0 || key.length > maxAttributeKey) continue;
    if (typeof value === 'string') {
      if (validEmail(value) === undefined) attributes[key] = value.slice(0, maxAttributeString);
    } else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      attributes[key] = value;
    }
  }
  return attributes;
}

/** De-duplication key for deliveries that carry no id of their own. */
export function bodyDigest(body: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
}

export interface NormaliseContext {
  integrationId: string;
  receivedAt: Date;
}
