import type { Feedback, FeedbackReceived } from '@cxloop/events';
import type { ReceivedEvent } from '@cxloop/lambda-kit';

/** Feedback and FeedbackReceived events as collection publishes them, each with a new feedback id. */
let sequence = 0;

export function feedback(overrides: Partial<Feedback> = {}): Feedback {
  sequence++;
  return {
    feedbackId: `fb-${sequence}`,
    revision: 1,
    surveyId: 'srv-1',
    source: 'widget',
    channel: 'web',
    kind: 'nps',
    score: { value: 3, min: 0, max: 10, normalised: 0.3 },
    text: 'Доставка опоздала на три дня, поддержка не отвечает.',
    languageHint: 'ru-RU',
    answers: [],
    respondent: { verified: false, emailVerified: false },
    attributes: {},
    externalIds: {},
    links: [],
    occurredAt: '2026-11-20T09:15:00.000Z',
    receivedAt: '2026-11-20T09:15:01.000Z',
    ...overrides,
  };
}

export function received(data: Feedback): ReceivedEvent<typeof FeedbackReceived> {
  return {
    id: `event-${data.feedbackId}-${data.revision}`,
    metadata: {
      eventId: `event-${data.feedbackId}-${data.revision}`,
      schemaVersion: 1,
      occurredAt: data.receivedAt,
      correlationId: `correlation-${data.feedbackId}`,
    },
    data,
  };
}
