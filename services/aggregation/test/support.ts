import type { FeedbackRecord } from '../src/domain/feedback-record';

/** A categorised NPS response as the aggregation service stores it; override what a test is about. */
export function npsRecord(overrides: Partial<FeedbackRecord> & { feedbackId: string; score: number }): FeedbackRecord {
  return {
    revision: 1,
    categorisedAt: '2026-11-20T10:00:01.000Z',
    surveyId: 'srv_1',
    timeZone: 'Europe/Moscow',
    kind: 'nps',
    channel: 'web',
    source: 'widget',
    language: 'ru',
    sentiment: { label: 'neutral', score: 0 },
    topics: [],
    intents: [],
    churnRisk: 0,
    attributes: {},
    occurredAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

export const topic = (id: string, score = 0.9) => ({ id, score, evidence: [] as [number, number][] });
