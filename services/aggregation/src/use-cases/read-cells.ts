import { histogramOfValue } from '../domain/counting';
import { emptyHistogram, type Histogram, mergeHistograms, type ScoreScale } from '../domain/metrics';
import type { Selection } from '../domain/selection';
import type { LabelRange } from '../domain/series';
import type { CellStore, SurveyMeta } from '../store';

/** Histograms per group and cell label over a range of labels, from the cells of the survey's active generation. */
export async function readHistograms(
  cells: CellStore,
  meta: SurveyMeta,
  scale: ScoreScale,
  selection: Selection,
  cellInterval: 'day' | 'hour',
  range: LabelRange,
): Promise<Map<string, Map<string, Histogram>>> {
  const prefix = `${cellInterval}#`;
  const items = await cells.range(
    meta.surveyId,
    meta.activeGeneration,
    scale,
    selection.dimension,
    `${prefix}${range.first}`,
    `${prefix}${range.last}`,
  );
  const groups = new Map<string, Map<string, Histogram>>();
  for (const cell of items) {
    const label = cell.bucket.slice(prefix.length);
    for (const value of cell.counts.keys()) {
      const group = selection.groupOf(value);
      if (group === undefined) continue;
      let byLabel = groups.get(group);
      if (!byLabel) {
        byLabel = new Map();
        groups.set(group, byLabel);
      }
      const histogram = histogramOfValue(scale, cell.counts, value);
      byLabel.set(label, mergeHistograms(scale, byLabel.get(label) ?? emptyHistogram(scale), histogram));
    }
  }
  return groups;
}
