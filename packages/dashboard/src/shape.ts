import type {
  CasePriority,
  Comparison,
  FeedbackItem,
  Figures,
  FollowUpCase,
  GroupFigures,
  MetricPoint,
  Scale,
  Sentiment,
} from './types';

/**
 * Pure shaping of API answers into what the views draw: no DOM, no fetch, so each rule is unit-tested
 * (`test/shape.unit.test.ts`).
 */

/** Figures of a period, point or group (groups carry no `scale` of their own). */
type ScaleFigures = Omit<Figures, 'scale'> & { readonly scale?: Figures['scale'] };

/** A scale's headline metric with its confidence interval: NPS, CSAT top-2-box %, CES mean. */
export interface Headline {
  readonly n: number;
  readonly value: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  /** Half the interval's width: the ± shown next to the value (Wilson and t intervals need not be symmetric). */
  readonly margin: number | null;
}

export function headlineOf(scale: Scale, figures: ScaleFigures): Headline {
  const n = figures.n;
  let value: number | null = null;
  let lower: number | null = null;
  let upper: number | null = null;
  let margin: number | null = null;
  if (scale === 'nps') {
    value = figures.nps ?? null;
    lower = figures.interval?.lower ?? null;
    upper = figures.interval?.upper ?? null;
    margin = figures.marginOfError ?? null;
  } else {
    const estimate = scale === 'csat' ? figures.topTwoBox : figures.mean;
    if (estimate) {
      value = 'percent' in estimate ? estimate.percent : estimate.mean;
      lower = estimate.interval?.lower ?? null;
      upper = estimate.interval?.upper ?? null;
      margin = lower !== null && upper !== null ? (upper - lower) / 2 : null;
    }
  }
  return { n, value, lower, upper, margin };
}

export type ChangeVerdict = 'significant' | 'not-significant' | 'too-few' | 'no-previous';

export interface Change {
  readonly delta: number | null;
  readonly pValue: number | null;
  readonly verdict: ChangeVerdict;
  readonly direction: 'up' | 'down' | 'unchanged' | null;
}

/** What a comparison with the previous period says, for a label: the delta, and whether it can be trusted. */
export function changeOf(comparison: Comparison | null | undefined): Change {
  const delta = comparison?.delta ?? null;
  const pValue = comparison?.pValue ?? null;
  const direction = delta === null ? null : delta > 0 ? 'up' : delta < 0 ? 'down' : 'unchanged';
  const verdict: ChangeVerdict =
    delta === null
      ? 'no-previous'
      : pValue === null
        ? 'too-few'
        : comparison?.significant
          ? 'significant'
          : 'not-significant';
  return { delta, pValue, verdict, direction };
}

export interface TrendSeries {
  readonly buckets: readonly MetricPoint[];
  readonly values: readonly (number | null)[];
  readonly lower: readonly (number | null)[];
  readonly upper: readonly (number | null)[];
  readonly counts: readonly number[];
}

/** The line and its band, one entry per bucket; a bucket without answers is a gap, not a zero. */
export function trendOf(scale: Scale, points: readonly MetricPoint[]): TrendSeries {
  const headlines = points.map((point) => headlineOf(scale, point));
  return {
    buckets: points,
    values: headlines.map((headline) => headline.value),
    lower: headlines.map((headline) => headline.lower ?? headline.value),
    upper: headlines.map((headline) => headline.upper ?? headline.value),
    counts: headlines.map((headline) => headline.n),
  };
}

export type ScoreGroup = 'low' | 'middle' | 'high';

export interface DistributionBar {
  readonly score: number;
  readonly count: number;
  /** Percent of the answers; null without answers. */
  readonly share: number | null;
  readonly group: ScoreGroup;
}

export const scaleMinimum: Record<Scale, number> = { nps: 0, csat: 1, ces: 1 };

/** Detractors / passives / promoters for NPS; not satisfied / satisfied (CSAT); not easy / easy (CES). */
export function scoreGroupOf(scale: Scale, score: number): ScoreGroup {
  switch (scale) {
    case 'nps':
      return score <= 6 ? 'low' : score <= 8 ? 'middle' : 'high';
    case 'csat':
      return score >= 4 ? 'high' : 'low';
    case 'ces':
      return score >= 5 ? 'high' : 'low';
  }
}

export function distributionOf(scale: Scale, histogram: readonly number[]): DistributionBar[] {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  return histogram.map((count, index) => {
    const score = scaleMinimum[scale] + index;
    return { score, count, share: total === 0 ? null : (100 * count) / total, group: scoreGroupOf(scale, score) };
  });
}

export interface BreakdownRow {
  readonly value: string;
  readonly n: number;
  readonly headline: Headline;
  readonly change: Change;
}

/** Values the aggregation service writes for "no value" and for values past its cap per cell. */
export const NONE_VALUE = '(none)';
export const OTHER_VALUE = '(other)';

export function breakdownRows(scale: Scale, groups: readonly GroupFigures[]): BreakdownRow[] {
  return groups
    .filter((group) => group.responses > 0)
    .map((group) => ({
      value: group.value,
      n: group.n,
      headline: headlineOf(scale, group),
      change: changeOf(group.comparison),
    }));
}

export const sortKeys = ['value', 'n', 'score', 'margin', 'change'] as const;
export type SortKey = (typeof sortKeys)[number];
export type SortDirection = 'ascending' | 'descending';

const sortValue = (row: BreakdownRow, key: SortKey): number | string | null => {
  switch (key) {
    case 'value':
      return row.value;
    case 'n':
      return row.n;
    case 'score':
      return row.headline.value;
    case 'margin':
      return row.headline.margin;
    case 'change':
      return row.change.delta;
  }
};

/** Sorted copy; rows without a figure go last whichever the direction. */
export function sortRows(rows: readonly BreakdownRow[], key: SortKey, direction: SortDirection): BreakdownRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const [left, right] = [sortValue(a, key), sortValue(b, key)];
    if (left === null || right === null)
      return left === right ? a.value.localeCompare(b.value) : left === null ? 1 : -1;
    const order = typeof left === 'string' ? left.localeCompare(String(right)) : left - (right as number);
    return order === 0 ? a.value.localeCompare(b.value) : sign * order;
  });
}

/** The most mentioned topics (groups of `groupBy=topic`), without the answers that have none. */
export function topTopics(scale: Scale, groups: readonly GroupFigures[], limit = 5): BreakdownRow[] {
  return sortRows(
    breakdownRows(
      scale,
      groups.filter((group) => group.value !== NONE_VALUE),
    ),
    'n',
    'descending',
  ).slice(0, limit);
}

export interface SentimentShares {
  readonly total: number;
  readonly positive: number;
  readonly neutral: number;
  readonly negative: number;
}

export function sentimentShares(items: readonly FeedbackItem[]): SentimentShares {
  const counts: Record<Sentiment, number> = { positive: 0, neutral: 0, negative: 0 };
  for (const item of items) counts[item.sentiment.label] += 1;
  return { total: items.length, ...counts };
}

export interface TextSegment {
  readonly text: string;
  /** Part of the evidence for the topic. */
  readonly evidence: boolean;
}

export interface ExampleComment {
  readonly feedbackId: string;
  readonly score?: number;
  readonly sentiment: Sentiment;
  readonly segments: readonly TextSegment[];
}

/** Cuts a text at its evidence spans (merged when they overlap), so the view can mark them. */
export function segmentsOf(text: string, spans: readonly { start: number; end: number }[]): TextSegment[] {
  const sorted = spans
    .map(({ start, end }) => ({ start: Math.max(0, start), end: Math.min(text.length, end) }))
    .filter(({ start, end }) => end > start)
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  const segments: TextSegment[] = [];
  let at = 0;
  for (const span of merged) {
    if (span.start > at) segments.push({ text: text.slice(at, span.start), evidence: false });
    segments.push({ text: text.slice(span.start, span.end), evidence: true });
    at = span.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), evidence: false });
  return segments;
}

/** The latest comments on a topic, with the words that made it that topic marked. */
export function exampleComments(items: readonly FeedbackItem[], topicId: string, limit = 3): ExampleComment[] {
  return items
    .filter((item) => item.text)
    .slice(0, limit)
    .map((item) => ({
      feedbackId: item.feedbackId,
      ...(item.score === undefined ? {} : { score: item.score }),
      sentiment: item.sentiment.label,
      segments: segmentsOf(
        item.text ?? '',
        item.topics.filter((topic) => topic.id === topicId).flatMap((topic) => topic.evidence),
      ),
    }));
}

export interface CaseRow {
  readonly caseId: string;
  readonly surveyId?: string;
  readonly reason: string;
  readonly owner?: string;
  readonly priority: CasePriority;
  readonly score?: number;
  readonly openedAt: string;
  readonly dueAt: string;
  readonly overdue: boolean;
  /** dueAt − now: negative when overdue. */
  readonly dueInMs: number;
}

const priorityRank: Record<CasePriority, number> = { high: 0, normal: 1, low: 2 };

/** Open cases, the most urgent first: overdue ones, then by priority, then by due time. */
export function caseRows(cases: readonly FollowUpCase[], now: Date): CaseRow[] {
  return cases
    .map((item) => {
      const dueInMs = Date.parse(item.dueAt) - now.getTime();
      return {
        caseId: item.caseId,
        ...(item.surveyId ? { surveyId: item.surveyId } : {}),
        reason: item.reason,
        ...(item.owner ? { owner: item.owner } : {}),
        priority: item.priority,
        ...(item.score === undefined ? {} : { score: item.score }),
        openedAt: item.openedAt,
        dueAt: item.dueAt,
        overdue: dueInMs < 0,
        dueInMs,
      };
    })
    .sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        (priorityRank[a.priority] ?? 1) - (priorityRank[b.priority] ?? 1) ||
        a.dueInMs - b.dueInMs,
    );
}
