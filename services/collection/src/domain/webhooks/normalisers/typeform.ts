import * as z from 'zod';
import {
  cleanText,
  finishFeedback,
  isoFromDateString,
  type NormaliseContext,
  parsePayload,
  respondentId,
  scalarAttributes,
  scoreOnScale,
  validEmail,
  type WebhookNormalisation,
  WebhookPayloadError,
} from '../feedback';
import { type FieldMapping, readText, type ScoreScale } from '../field-mapping';

const answerSchema = z.looseObject({
  type: z.string(),
  field: z.object({ id: z.string().min(1), type: z.string() }),
  text: z.string().optional(),
  email: z.string().optional(),
  number: z.number().optional(),
  boolean: z.boolean().optional(),
  date: z.string().optional(),
  choice: z.object({ label: z.string().optional(), other: z.string().optional() }).optional(),
  choices: z.object({ labels: z.array(z.string()).optional(), other: z.string().optional() }).optional(),
});
type TypeformAnswer = z.infer<typeof answerSchema>;

const eventSchema = z.object({
  event_id: z.string().min(1),
  event_type: z.string(),
  form_response: z.unknown(),
});

const formResponseSchema = z.object({
  form_id: z.string().min(1),
  token: z.string().min(1),
  submitted_at: z.string(),
  hidden: z.record(z.string(), z.unknown()).nullish(),
  answers: z.array(answerSchema).default([]),
});

const npsScale = { kind: 'nps', min: 0, max: 10 } as const satisfies ScoreScale;

/**
 * Without a mapping, the first `nps` answer, else the first `opinion_scale` answer within 0..10, is taken as NPS. The
 * payload does not say how many steps an opinion scale has, so a 1–5 opinion scale needs `scoreFieldId` and `scale`.
 */
function detectScore(answers: TypeformAnswer[], mapping: FieldMapping | undefined) {
  if (mapping?.scoreFieldId && mapping.scale) {
    const answer = answers.find((candidate) => candidate.field.id === mapping.scoreFieldId);
    if (answer === undefined) return undefined;
    if (answer.number === undefined)
      throw new WebhookPayloadError('the mapped Typeform score question is not a number');
    return { kind: mapping.scale.kind, score: scoreOnScale(answer.number, mapping.scale) };
  }
  const numbers = answers.flatMap(({ field, number }) => (number === undefined ? [] : [{ type: field.type, number }]));
  const nps =
    numbers.find((answer) => answer.type === 'nps') ??
    numbers.find(
      (answer) => answer.type === 'opinion_scale' && answer.number >= npsScale.min && answer.number <= npsScale.max,
    );
  return nps && { kind: npsScale.kind, score: scoreOnScale(nps.number, npsScale) };
}

function detectComment(answers: TypeformAnswer[], mapping: FieldMapping | undefined): string | undefined {
  const answer = mapping?.commentFieldId
    ? answers.find((candidate) => candidate.field.id === mapping.commentFieldId)
    : answers.find((candidate) => candidate.field.type === 'long_text');
  return cleanText(answer?.text);
}

/** Answers that describe the experience; contact details, files and payments stay out of the feedback. */
function toAnswer(answer: TypeformAnswer) {
  const questionId = answer.field.id;
  switch (answer.type) {
    case 'text':
      return answer.text === undefined ? undefined : { questionId, type: 'text' as const, value: answer.text };
    case 'date':
      return answer.date === undefined ? undefined : { questionId, type: 'text' as const, value: answer.date };
    case 'number':
      return answer.number === undefined ? undefined : { questionId, type: 'number' as const, value: answer.number };
    case 'boolean':
      return answer.boolean === undefined
        ? undefined
        : { questionId, type: 'single_choice' as const, value: String(answer.boolean) };
    case 'choice': {
      const label = answer.choice?.label ?? answer.choice?.other;
      return label === undefined ? undefined : { questionId, type: 'single_choice' as const, value: label };
    }
    case 'choices': {
      const labels = [...(answer.choices?.labels ?? []), ...(answer.choices?.other ? [answer.choices.other] : [])];
      return { questionId, type: 'multiple_choice' as const, value: labels };
    }
    default:
      return undefined;
  }
}

export function normaliseTypeform(
  body: unknown,
  mapping: FieldMapping | undefined,
  context: NormaliseContext,
): WebhookNormalisation {
  const event = parsePayload(eventSchema, body, 'Typeform event');
  if (event.event_type !== 'form_response') {
    return {
      kind: 'ignored',
      deliveryId: event.event_id,
      reason: `Typeform event ${event.event_type} is not feedback`,
    };
  }
  const response = parsePayload(formResponseSchema, event.form_response, 'Typeform form_response');
  const scored = detectScore(response.answers, mapping);
  const email = validEmail(
    readText(body, mapping?.respondentEmail) ?? response.answers.find((answer) => answer.type === 'email')?.email,
  );
  // Hidden fields come from the survey link, which the respondent can edit: an id read from them is not proven.
  const id = respondentId(readText(body, mapping?.respondentId));
  const item = finishFeedback({
    externalKey: `typeform:response:${response.token}`,
    source: 'typeform',
    channel: 'survey_tool',
    integrationId: context.integrationId,
    kind: scored?.kind ?? 'text',
    score: scored?.score,
    text: detectComment(response.answers, mapping),
    answers: response.answers.map(toAnswer).filter((answer) => answer !== undefined),
    respondent: { ...(id ? { id } : {}), ...(email ? { email } : {}), verified: false },
    attributes: scalarAttributes(response.hidden),
    externalIds: { form: response.form_id, response: response.token },
    occurredAt: isoFromDateString(response.submitted_at, 'submitted_at'),
  });
  return { kind: 'feedback', deliveryId: event.event_id, items: [item] };
}
