import * as z from 'zod';
import { parsePayload, type WebhookNormalisation, WebhookPayloadError } from '../feedback';

const eventSchema = z.object({
  event_id: z.union([z.string().min(1), z.number()]),
  event_type: z.string().min(1),
  object_type: z.string().optional(),
  object_id: z.union([z.string().min(1), z.number()]),
  resources: z
    .object({
      survey_id: z.union([z.string().min(1), z.number()]).optional(),
      collector_id: z.union([z.string().min(1), z.number()]).optional(),
    })
    .default({}),
});

/** SurveyMonkey sends ids only: a completed or changed response has to be fetched with its details. */
export function normaliseSurveyMonkey(body: unknown): WebhookNormalisation {
  const event = parsePayload(eventSchema, body, 'SurveyMonkey event');
  const deliveryId = String(event.event_id);
  const { event_type: eventType } = event;
  if (eventType !== 'response_completed' && eventType !== 'response_updated') {
    return { kind: 'ignored', deliveryId, reason: `SurveyMonkey event ${eventType} is not a finished response` };
  }
  const surveyId = event.resources.survey_id;
  if (surveyId === undefined) throw new WebhookPayloadError('SurveyMonkey event has no resources.survey_id');
  const responseId = String(event.object_id);
  const collectorId = event.resources.collector_id;
  return {
    kind: 'fetch_required',
    deliveryId,
    resource: {
      provider: 'surveymonkey',
      eventType,
      surveyId: String(surveyId),
      responseId,
      ...(collectorId === undefined ? {} : { collectorId: String(collectorId) }),
      detailsPath: `/v3/surveys/${encodeURIComponent(String(surveyId))}/responses/${encodeURIComponent(responseId)}/details`,
    },
  };
}
