import { defineEvent, EventSources } from './contract';
import { feedbackSchema } from './feedback';

export const FeedbackReceived = defineEvent({
  source: EventSources.collection,
  detailType: 'FeedbackReceived',
  version: 1,
  description:
    'A piece of feedback was received or changed (score first, comment later). Carries the whole feedback at `revision`; a consumer keeps the highest revision it has applied and ignores older ones. `historical` marks an answer imported from another system (POST /v1/surveys/{surveyId}/imports).',
  consumers: ['categorisation'],
  data: feedbackSchema,
  example: {
    feedbackId: 'fb_01JD8X4Q2V6N3M5K7P9R1T3W5Y',
    revision: 1,
    surveyId: 'srv_01JD8X1A2B3C4D5E6F7G8H9J0K',
    source: 'widget',
    channel: 'web',
    kind: 'nps',
    score: { value: 3, min: 0, max: 10, normalised: 0.3 },
    text: 'Доставка опоздала на три дня, поддержка не отвечает.',
    languageHint: 'ru',
    respondent: { anonymousId: 'anon_7f3a', locale: 'ru-RU', verified: false },
    attributes: { plan: 'pro', region: 'eu' },
    occurredAt: '2026-11-20T09:15:00.000Z',
    receivedAt: '2026-11-20T09:15:00.412Z',
  },
});
