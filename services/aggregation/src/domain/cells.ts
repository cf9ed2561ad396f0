import type { Feedback } from '@cxloop/events';
import { bucketKey, histogramLength, isScoreScale, type ScoreScale, scaleBounds } from './metrics';

/**
 * Where one revision of a piece of feedback is counted: its score on its scale, in the day bucket (in the survey's
 * time zone) of each dimension cell it belongs to. Longer intervals (week, month) are summed from days at read time,
 * so a query reads one item per day, however many responses the days hold.
 */
export interface CountedScore {
  scale: ScoreScale;
  score: number;
  cells: string[];
}

export const ALL_RESPONSES = 'all';

export function cellId(surveyId: string, dimension: string, day: string): string {
  return `${surveyId}|${dimension}|${day}`;
}

export function parseCellId(id: string): { surveyId: string; dimension: string; day: string } {
  const [surveyId = '', dimension = '', day = ''] = id.split('|');
  return { surveyId, dimension, day };
}

export function countedScoreOf(feedback: Feedback): CountedScore | undefined {
  if (!feedback.surveyId || !feedback.score || !isScoreScale(feedback.kind)) return undefined;
  const day = bucketKey(feedback.occurredAt, 'day', feedback.timeZone ?? 'UTC');
  return {
    scale: feedback.kind,
    score: feedback.score.value,
    cells: [cellId(feedback.surveyId, ALL_RESPONSES, day)],
  };
}

/** Per cell, the change of each score's count that moves a response from what was counted to what is counted now. */
export function histogramDeltas(
  before: CountedScore | undefined,
  after: CountedScore | undefined,
): Map<string, { scale: ScoreScale; deltas: number[] }> {
  const byCell = new Map<string, { scale: ScoreScale; deltas: number[] }>();
  const apply = (counted: CountedScore | undefined, sign: 1 | -1) => {
    if (!counted) return;
    for (const cell of counted.cells) {
      const entry = byCell.get(cell) ?? {
        scale: counted.scale,
        deltas: new Array(histogramLength(counted.scale)).fill(0),
      };
      const index = counted.score - scaleBounds[counted.scale].min;
      entry.deltas[index] = (entry.deltas[index] ?? 0) + sign;
      byCell.set(cell, entry);
    }
  };
  apply(before, -1);
  apply(after, 1);
  for (const [cell, entry] of byCell) if (entry.deltas.every((delta) => delta === 0)) byCell.delete(cell);
  return byCell;
}
