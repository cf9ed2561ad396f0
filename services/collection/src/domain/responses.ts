import { customerAttributesSchema, type Feedback } from '@cxloop/events';
import { z } from 'zod';
import { type Survey, surveyScales } from './surveys';

export const responseChannels = ['web', 'in_app', 'email', 'sms', 'link', 'api'] as const;

/** A response as posted by a widget or hosted page. Partial answers post the same `responseId` again. */
export const responseInputSchema = z.object({
  responseId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,100}$/, 'expected 8–100 characters of A–Z, a–z, 0–9, "_" or "-"')
    .optional(),
  score: z.number().int(),
  comment: z.string().trim().max(5000).optional(),
  respondent: z
    .object({
      id: z.string().min(1).max(200).optional(),
      email: z.email().optional(),
    })
    .optional(),
  locale: z
    .string()
    .regex(/^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$/, 'expected a locale such as "ru-RU"')
    .optional(),
  channel: z.enum(responseChannels).default('web'),
  properties: customerAttributesSchema.optional(),
});
export type ResponseInput = z.infer<typeof responseInputSchema>;

/** The answer content that decides whether a repeated POST is a retry (same content) or an update (new revision). */
export interface ResponseContent {
  score: number;
  comment?: string;
  locale?: string;
  channel: string;
  respondentId?: string;
  email?: string;
  properties: Record<string, string | number | boolean>;
}

export class ScoreOutOfScaleError extends Error {
  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    super(`must be an integer from ${min} to ${max}`);
  }
}

export function responseContent(survey: Survey, input: ResponseInput): ResponseContent {
  const scale = surveyScales[survey.type];
  if (input.score < scale.min || input.score > scale.max) throw new ScoreOutOfScaleError(scale.min, scale.max);
  return {
    score: input.score,
    ...(input.comment ? { comment: input.comment } : {}),
    ...(input.locale ? { locale: input.locale } : {}),
    channel: input.channel,
    ...(input.respondent?.id ? { respondentId: input.respondent.id } : {}),
    ...(input.respondent?.email ? { email: input.respondent.email } : {}),
    properties: input.properties ?? {},
  };
}

/** A later post of the same response adds to it: what it leaves out is kept from before. */
export function mergeResponseContent(previous: ResponseContent, next: ResponseContent): ResponseContent {
  return {
    ...previous,
    ...next,
    properties: { ...previous.properties, ...next.properties },
  };
}

export function sameContent(a: ResponseContent, b: ResponseContent): boolean {
  return JSON.stringify(sortedEntries(a)) === JSON.stringify(sortedEntries(b));
}

function sortedEntries(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedEntries);
  if (value && typeof value === 'object') {
    return Object.keys(value)
      .sort()
      .map((key) => [key, sortedEntries((value as Record<string, unknown>)[key])]);
  }
  return value;
}

export interface StoredResponse {
  surveyId: string;
  responseId: string;
  feedbackId: string;
  revision: number;
  content: ResponseContent;
  occurredAt: string;
  updatedAt: string;
}

/** The normalised feedback for a widget/hosted-page response, as carried by FeedbackReceived. */
export function feedbackFromResponse(survey: Survey, response: StoredResponse, receivedAt: Date): Feedback {
  const scale = surveyScales[survey.type];
  const { content } = response;
  return {
    feedbackId: response.feedbackId,
    revision: response.revision,
    surveyId: survey.id,
    timeZone: survey.timeZone,
    source:
      content.channel === 'email'
        ? 'email'
        : content.channel === 'sms'
          ? 'sms'
          : content.channel === 'link'
            ? 'link'
            : 'widget',
    channel: content.channel,
    kind: survey.type,
    score: {
      value: content.score,
      min: scale.min,
      max: scale.max,
      normalised: (content.score - scale.min) / (scale.max - scale.min),
    },
    ...(content.comment ? { text: content.comment } : {}),
    answers: [],
    ...(content.locale ? { languageHint: content.locale.slice(0, 2).toLowerCase() } : {}),
    respondent: {
      ...(content.respondentId ? { id: content.respondentId } : {}),
      ...(content.email ? { email: content.email } : {}),
      ...(content.locale ? { locale: content.locale } : {}),
      verified: false,
    },
    attributes: content.properties,
    externalIds: { responseId: response.responseId },
    links: [],
    occurredAt: response.occurredAt,
    receivedAt: receivedAt.toISOString(),
  };
}
