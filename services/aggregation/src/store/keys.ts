import { encodeTime } from 'ulid';
import type { CellKey } from '../domain/counting';

/** Partition of the feedback that belongs to no survey (reviews, helpdesk ratings not tied to one). */
export const NO_SURVEY = '-';
const FEEDBACK_ID_PREFIX = 'fb_';

/**
 * Keys of the aggregation table. Feedback is kept per survey under its id, a ULID whose first ten characters are the
 * time it was first received, so the explorer reads a survey's feedback newest first without an index (an index would
 * cost a second write of every response).
 */
export const aggregationKeys = {
  survey: (surveyId: string) => ({ pk: 'SURVEYS', sk: surveyId }),
  feedback: (surveyId: string | undefined, feedbackId: string) => ({
    pk: feedbackPartition(surveyId),
    sk: feedbackId,
  }),
  cell: (surveyId: string, generation: number, key: CellKey) => ({
    pk: cellPartition(surveyId, generation, key.scale, key.dimension),
    sk: key.bucket,
  }),
  rebuild: (surveyId: string) => ({ pk: 'REBUILDS', sk: surveyId }),
  alert: (surveyId: string, ruleId: string) => ({ pk: `ALERTS#${surveyId}`, sk: ruleId }),
};

/**
 * Kinds of items that hold personal data, each found through the person index (`@cxloop/privacy`): only the feedback
 * items (text and customer attributes). Cells, surveys, alert states and rebuild jobs hold none.
 */
export const personalItemKinds = { feedback: 'feedback' } as const;
export type PersonalItemKind = keyof typeof personalItemKinds;

const FEEDBACK_PARTITION_PREFIX = 'FEEDBACK#';

export function feedbackPartition(surveyId: string | undefined): string {
  return `${FEEDBACK_PARTITION_PREFIX}${surveyId ?? NO_SURVEY}`;
}

export function surveyIdOfFeedbackPartition(pk: string): string | undefined {
  const surveyId = pk.slice(FEEDBACK_PARTITION_PREFIX.length);
  return surveyId === NO_SURVEY ? undefined : surveyId;
}

export function cellPartition(surveyId: string, generation: number, scale: string, dimension: string): string {
  return `CELLS#${surveyId}#g${generation}#${scale}#${dimension}`;
}

/**
 * The smallest feedback id first received at or after `instant`. Feedback is received after it occurred, so every
 * piece that occurred from `instant` on sorts at or above it.
 */
export function feedbackIdLowerBound(instant: Date): string {
  return `${FEEDBACK_ID_PREFIX}${encodeTime(Math.max(0, instant.getTime()), 10)}`;
}
