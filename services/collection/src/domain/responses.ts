import { customerAttributesSchema, type Feedback, type FeedbackSource, feedbackSourceSchema } from '@cxloop/events';
import * as z from 'zod';
import type { ImportOrigin } from './imports';
import { type Respondent, respondentInputSchema } from './respondents';
import { type FollowUpQuestion, type Survey, surveyScales } from './surveys';

export const responseChannels = ['web', 'in_app', 'email', 'sms', 'link', 'api'] as const;

/** Context a widget may send as customer attributes besides its own `properties`. */
const contextSchema = z.object({
  pageUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
});

/**
 * A response as posted by a widget or hosted page. Partial answers post the same `responseId` again: the score
 * first, then the comment and follow-up answers, each post adding to the same response.
 */
export const responseInputSchema = z.object({
  responseId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,100}$/, 'expected 8–100 characters of A–Z, a–z, 0–9, "_" or "-"')
    .optional(),
  score: z.number().int().optional(),
  comment: z.string().trim().max(5000).optional(),
  answers: z
    .array(z.object({ questionId: z.string().min(1).max(40), value: z.union([z.string(), z.array(z.string())]) }))
    .max(10)
    .optional(),
  respondent: respondentInputSchema.optional(),
  locale: z
    .string()
    .regex(/^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$/, 'expected a locale such as "ru-RU"')
    .optional(),
  channel: z.enum(responseChannels).optional(),
  properties: customerAttributesSchema
    .refine((properties) => Object.keys(properties).length <= 50, 'expected at most 50 properties')
    .optional(),
  context: contextSchema.optional(),
});
export type ResponseInput = z.infer<typeof responseInputSchema>;

export interface ResponseAnswer {
  questionId: string;
  type: FollowUpQuestion['type'];
  value: string | string[];
}

/** The whole answer as stored; decides whether a repeated POST is a retry (same content) or an update. */
export interface ResponseContent {
  score: number;
  comment?: string;
  /** Sorted by question id, so that equal answers compare equal. */
  answers: ResponseAnswer[];
  locale?: string;
  channel: string;
  respondent: Respondent;
  properties: Record<string, string | number | boolean>;
}

/** What one POST adds to a response: everything it leaves out is kept from before. */
export interface ResponsePatch {
  score?: number;
  comment?: string;
  answers: ResponseAnswer[];
  locale?: string;
  channel?: string;
  respondent: Respondent;
  properties: Record<string, string | number | boolean>;
}

/** An answer that the survey does not allow; `field` is the body path that names it. */
export class ResponseFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ResponseFieldError';
  }
}

/** A later post names another respondent than the one who started the response. */
export class RespondentMismatchError extends Error {
  constructor(readonly field: string) {
    super(`${field} differs from the respondent of this response`);
    this.name = 'RespondentMismatchError';
  }
}

function checkedAnswer(
  questions: readonly FollowUpQuestion[],
  answer: { questionId: string; value: string | string[] },
  index: number,
): ResponseAnswer {
  const field = `body.answers.${index}`;
  const question = questions.find((candidate) => candidate.id === answer.questionId);
  if (!question) throw new ResponseFieldError(`${field}.questionId`, 'not a follow-up question of this survey');
  const { value } = answer;
  switch (question.type) {
    case 'text':
      if (typeof value !== 'string' || value.length > 2000) {
        throw new ResponseFieldError(`${field}.value`, 'expected text of at most 2000 characters');
      }
      return { questionId: question.id, type: question.type, value: value.trim() };
    case 'single_choice':
      if (typeof value !== 'string' || !question.choices.some((choice) => choice.id === value)) {
        throw new ResponseFieldError(`${field}.value`, 'expected the id of one of the choices');
      }
      return { questionId: question.id, type: question.type, value };
    case 'multiple_choice': {
      const ids = new Set(question.choices.map((choice) => choice.id));
      const max = question.maxChoices ?? question.choices.length;
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        value.length > max ||
        new Set(value).size !== value.length ||
        !value.every((id) => ids.has(id))
      ) {
        throw new ResponseFieldError(`${field}.value`, `expected 1–${max} distinct choice ids`);
      }
      return { questionId: question.id, type: question.type, value: [...value].sort() };
    }
  }
}

/** Checks a post against its survey (scale, follow-up questions) and turns it into what it adds to the response. */
export function responsePatch(survey: Survey, input: ResponseInput, respondent: Respondent): ResponsePatch {
  const scale = surveyScales[survey.type];
  if (input.score !== undefined && (input.score < scale.min || input.score > scale.max)) {
    throw new ResponseFieldError('body.score', `must be an integer from ${scale.min} to ${scale.max}`);
  }
  const answers = (input.answers ?? []).map((answer, index) => checkedAnswer(survey.followUpQuestions, answer, index));
  if (new Set(answers.map((answer) => answer.questionId)).size !== answers.length) {
    throw new ResponseFieldError('body.answers', 'answers each question at most once');
  }
  const properties = { ...input.properties, ...(input.context?.pageUrl ? { pageUrl: input.context.pageUrl } : {}) };
  return {
    ...(input.score !== undefined ? { score: input.score } : {}),
    ...(input.comment ? { comment: input.comment } : {}),
    answers,
    ...(input.locale ? { locale: input.locale } : {}),
    ...(input.channel ? { channel: input.channel } : {}),
    respondent,
    properties,
  };
}

function mergedRespondent(previous: Respondent, next: Respondent): Respondent {
  if (previous.anonymousId && next.anonymousId && previous.anonymousId !== next.anonymousId) {
    throw new RespondentMismatchError('body.respondent.anonymousId');
  }
  if (previous.id && next.id && previous.id !== next.id) throw new RespondentMismatchError('body.respondent.id');
  const id = previous.id ?? next.id;
  const anonymousId = previous.anonymousId ?? next.anonymousId;
  // A proof once given stays (an unsigned later post does not undo it), but only for the address it proved.
  const email = next.email ?? previous.email;
  const sameEmail = next.email === undefined || next.email.toLowerCase() === previous.email?.toLowerCase();
  return {
    ...(id ? { id } : {}),
    verified: previous.verified || next.verified,
    ...(anonymousId ? { anonymousId } : {}),
    ...(email ? { email } : {}),
    emailVerified: next.emailVerified || (sameEmail && previous.emailVerified === true),
  };
}

/** The response after a post: the first post must carry the score; later posts add to or change what was given. */
export function applyResponsePatch(previous: ResponseContent | undefined, patch: ResponsePatch): ResponseContent {
  if (!previous) {
    if (patch.score === undefined)
      throw new ResponseFieldError('body.score', 'required in the first post of a response');
    return {
      score: patch.score,
      ...(patch.comment ? { comment: patch.comment } : {}),
      answers: [...patch.answers].sort(byQuestionId),
      ...(patch.locale ? { locale: patch.locale } : {}),
      channel: patch.channel ?? 'web',
      respondent: patch.respondent,
      properties: patch.properties,
    };
  }
  const answers = new Map(previous.answers.map((answer) => [answer.questionId, answer]));
  for (const answer of patch.answers) answers.set(answer.questionId, answer);
  const comment = patch.comment ?? previous.comment;
  const locale = patch.locale ?? previous.locale;
  return {
    score: patch.score ?? previous.score,
    ...(comment ? { comment } : {}),
    answers: [...answers.values()].sort(byQuestionId),
    ...(locale ? { locale } : {}),
    channel: patch.channel ?? previous.channel,
    respondent: mergedRespondent(previous.respondent, patch.respondent),
    properties: { ...previous.properties, ...patch.properties },
  };
}

function byQuestionId(a: ResponseAnswer, b: ResponseAnswer): number {
  return a.questionId < b.questionId ? -1 : a.questionId > b.questionId ? 1 : 0;
}

export function sameContent(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted, so that equal values serialise equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedEntries(value));
}

function sortedEntries(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedEntries);
  if (value && typeof value === 'object') {
    return Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
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
  /** An answer imported from another system's history (`occurredAt` is when it was given there). */
  imported?: ImportOrigin;
  /** The Delighted person it was created for by id alone (no address known): see `domain/delighted.ts`. */
  personId?: string;
}

const sourceOfChannel: Record<string, FeedbackSource> = { email: 'email', sms: 'sms', link: 'link', api: 'api' };

/** An imported answer's source: the system it came from when cxloop knows it (delighted), else `api`. */
function sourceOf(response: StoredResponse): FeedbackSource {
  if (!response.imported) return sourceOfChannel[response.content.channel] ?? 'widget';
  const known = feedbackSourceSchema.safeParse(response.imported.source);
  return known.success ? known.data : 'api';
}

/** The normalised feedback for a widget/hosted-page response, as carried by FeedbackReceived. */
export function feedbackFromResponse(survey: Survey, response: StoredResponse, receivedAt: Date): Feedback {
  const scale = surveyScales[survey.type];
  const { content } = response;
  const { respondent } = content;
  return {
    feedbackId: response.feedbackId,
    revision: response.revision,
    surveyId: survey.id,
    timeZone: survey.timeZone,
    source: sourceOf(response),
    channel: content.channel,
    kind: survey.type,
    score: {
      value: content.score,
      min: scale.min,
      max: scale.max,
      normalised: (content.score - scale.min) / (scale.max - scale.min),
    },
    ...(content.comment ? { text: content.comment } : {}),
    answers: content.answers,
    ...(content.locale ? { languageHint: content.locale.slice(0, 2).toLowerCase() } : {}),
    respondent: {
      ...(respondent.id ? { id: respondent.id } : {}),
      ...(respondent.anonymousId ? { anonymousId: respondent.anonymousId } : {}),
      ...(respondent.email ? { email: respondent.email } : {}),
      ...(content.locale ? { locale: content.locale } : {}),
      verified: respondent.verified,
      emailVerified: respondent.email !== undefined && respondent.emailVerified === true,
    },
    attributes: content.properties,
    externalIds: {
      responseId: response.responseId,
      ...(response.imported ? { sourceResponseId: response.imported.sourceId } : {}),
    },
    links: [],
    occurredAt: response.occurredAt,
    receivedAt: receivedAt.toISOString(),
    ...(response.imported ? { historical: true } : {}),
  };
}
