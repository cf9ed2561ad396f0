import type { FeedbackKind } from '@cxloop/events';
import * as z from 'zod';
import {
  cleanText,
  finishFeedback,
  isoFromEpochSeconds,
  type NormaliseContext,
  parsePayload,
  respondentId,
  scalarAttributes,
  scoreOnScale,
  validEmail,
  type WebhookNormalisation,
} from '../feedback';

const responseEvents = new Set(['survey_response.created', 'survey_response.updated']);

/** Survey types whose scale is known; any other keeps its score as an answer rather than on a guessed scale. */
const scales: Record<string, { kind: FeedbackKind; min: number; max: number }> = {
  nps: { kind: 'nps', min: 0, max: 10 },
  enps: { kind: 'nps', min: 0, max: 10 },
  csat: { kind: 'csat', min: 1, max: 5 },
  ces: { kind: 'ces', min: 1, max: 7 },
};

const eventSchema = z.object({
  event_type: z.string().min(1),
  event_id: z.string().min(1),
  event_data: z.unknown(),
});

const choiceSchema = z.object({ text: z.string() });
const additionalAnswerSchema = z.object({
  question: z.object({ id: z.string().min(1) }),
  value: z.object({
    free_response: z.string().nullish(),
    scale: z.number().nullish(),
    select_one: choiceSchema.nullish(),
    select_many: z.array(choiceSchema).nullish(),
  }),
});

const surveyResponseSchema = z.object({
  id: z.union([z.string().min(1), z.number()]),
  person: z.object({ id: z.union([z.string(), z.number()]).nullish(), email: z.string().nullish() }).nullish(),
  survey_type: z.string().min(1),
  score: z.number().int(),
  comment: z.string().nullish(),
  permalink: z.url().nullish(),
  created_at: z.number(),
  updated_at: z.number().nullish(),
  person_properties: z.record(z.string(), z.unknown()).nullish(),
  additional_answers: z.array(additionalAnswerSchema).nullish(),
});

function toAnswer({ question, value }: z.infer<typeof additionalAnswerSchema>) {
  const questionId = question.id;
  if (value.free_response != null) return { questionId, type: 'text' as const, value: value.free_response };
  if (value.scale != null) return { questionId, type: 'number' as const, value: value.scale };
  if (value.select_one) return { questionId, type: 'single_choice' as const, value: value.select_one.text };
  if (value.select_many) {
    return { questionId, type: 'multiple_choice' as const, value: value.select_many.map((choice) => choice.text) };
  }
  return undefined;
}

/** `.created` carries the score, `.updated` usually the comment: both map onto one response by its id. */
export function normaliseDelighted(body: unknown, context: NormaliseContext): WebhookNormalisation {
  const event = parsePayload(eventSchema, body, 'Delighted event');
  if (!responseEvents.has(event.event_type)) {
    return {
      kind: 'ignored',
      deliveryId: event.event_id,
      reason: `Delighted event ${event.event_type} is not feedback`,
    };
  }
  const response = parsePayload(surveyResponseSchema, event.event_data, 'Delighted survey response');
  const responseId = String(response.id);
  const scale = scales[response.survey_type];
  const answers = (response.additional_answers ?? []).map(toAnswer).filter((answer) => answer !== undefined);
  if (!scale) answers.unshift({ questionId: `${response.survey_type}_score`, type: 'number', value: response.score });
  const id = respondentId(response.person?.id);
  const email = validEmail(response.person?.email);
  const item = finishFeedback({
    externalKey: `delighted:response:${responseId}`,
    source: 'delighted',
    channel: 'survey_tool',
    integrationId: context.integrationId,
    kind: scale ? scale.kind : 'text',
    score: scale ? scoreOnScale(response.score, scale) : undefined,
    text: cleanText(response.comment),
    answers,
    respondent: {
      ...(id ? { id, verified: true } : { verified: false }),
      ...(email ? { email, emailVerified: true } : {}),
    },
    attributes: { ...scalarAttributes(response.person_properties), delighted_survey_type: response.survey_type },
    externalIds: { response: responseId, ...(id ? { person: id } : {}) },
    links: response.permalink ? [{ rel: 'response', url: response.permalink }] : [],
    occurredAt: isoFromEpochSeconds(response.updated_at ?? response.created_at),
  });
  return { kind: 'feedback', deliveryId: event.event_id, items: [item] };
}
