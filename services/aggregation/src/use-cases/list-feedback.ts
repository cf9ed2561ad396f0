import { labelWithEvidenceText } from '../domain/feedback-record';
import { bucketEnd, bucketStart } from '../domain/metrics';
import { SelectionError } from '../domain/selection';
import { type FeedbackStore, type SurveyStore, timeZoneOf } from '../store';

export interface FeedbackQuery {
  surveyId?: string;
  /** Days (YYYY-MM-DD) in the survey's time zone, both included. */
  from?: string;
  to?: string;
  topic?: string;
  sentiment?: string;
  intent?: string;
  minScore?: number;
  maxScore?: number;
  limit: number;
  cursor?: Record<string, unknown>;
}

function dayEdge(day: string, edge: 'start' | 'end', field: string, timeZone: string): Date {
  try {
    return edge === 'start' ? bucketStart(day, 'day', timeZone) : bucketEnd(day, 'day', timeZone);
  } catch {
    throw new SelectionError(field, `not a day of the calendar in ${timeZone}: ${day}`);
  }
}

/**
 * The feedback explorer: a survey's feedback (or, without a survey, the feedback that belongs to none), newest first,
 * with its text, labels and the evidence for each label, from the service's own read model.
 */
export async function listFeedback(deps: { surveys: SurveyStore; feedback: FeedbackStore }, query: FeedbackQuery) {
  const timeZone = query.surveyId ? timeZoneOf(await deps.surveys.get(query.surveyId)) : 'UTC';
  const occurredFrom = query.from ? dayEdge(query.from, 'start', 'query.from', timeZone) : undefined;
  const occurredBefore = query.to ? dayEdge(query.to, 'end', 'query.to', timeZone) : undefined;
  if (occurredFrom && occurredBefore && occurredFrom >= occurredBefore) {
    throw new SelectionError('query.to', 'must not be before from');
  }
  const page = await deps.feedback.list(
    {
      ...query,
      ...(occurredFrom ? { occurredFrom } : {}),
      ...(occurredBefore ? { occurredBefore } : {}),
    },
    query.limit,
    query.cursor,
  );
  return {
    timeZone,
    items: page.records.map(({ expiresAt: _expiresAt, ...record }) => ({
      ...record,
      topics: record.topics.map((topic) => labelWithEvidenceText(topic, record.text)),
      intents: record.intents.map((intent) => labelWithEvidenceText(intent, record.text)),
    })),
    next: page.next,
  };
}
