import { comparePeriods, MIN_ANSWERS_FOR_MEAN_TEST } from './compare';
import type { Interval } from './estimates';
import { type Histogram, responseCount, type ScoreScale, subtractHistogram } from './histogram';
import { cesMetrics, csatMetrics, npsCounts, npsMetrics } from './scale-metrics';

/** What one topic (or intent) does to a survey's score over a period. */
export interface Driver {
  readonly id: string;
  /** Answers that mention it. */
  readonly n: number;
  /** Their share of all answers, from 0 to 1. */
  readonly share: number;
  /** The score (NPS, CSAT %, CES mean) of the answers that mention it, and of those that do not. */
  readonly score: number | null;
  readonly scoreWithout: number | null;
  readonly interval: Interval | null;
  readonly intervalWithout: Interval | null;
  /**
   * How much the survey's score would rise without what this driver costs: for NPS, if its detractors were passives
   * (NPS points); for CSAT and CES, if its answers scored like the others (points of the score), weighted by its share.
   * Negative when the driver lifts the score.
   */
  readonly pointsAtStake: number | null;
  /** Two-sided p-value of "it makes no difference" (answers with it against answers without it). */
  readonly pValue: number | null;
  /** Fewer than {@link MIN_ANSWERS_FOR_MEAN_TEST} answers with it or without it: too few to rank it with confidence. */
  readonly smallSample: boolean;
}

export interface ScoreWithInterval {
  score: number | null;
  interval: Interval | null;
}

/** A scale's headline score (NPS, CSAT top-2-box %, CES mean) with its interval. */
export function scoreOf(scale: ScoreScale, histogram: Histogram, confidence: number): ScoreWithInterval {
  switch (scale) {
    case 'nps': {
      const { nps, interval } = npsMetrics(histogram, { confidence });
      return { score: nps, interval };
    }
    case 'csat': {
      const estimate = csatMetrics(histogram, { confidence }).topTwoBox;
      return { score: estimate?.percent ?? null, interval: estimate?.interval ?? null };
    }
    case 'ces': {
      const estimate = cesMetrics(histogram, { confidence }).mean;
      return { score: estimate?.mean ?? null, interval: estimate?.interval ?? null };
    }
  }
}

/**
 * The drivers of a score from the histogram of every answer and those of the answers mentioning each label: a
 * response is counted once per label it has, so "without it" is the total less "with it", exactly. Ranked by the
 * points at stake, most first; the `(none)` group (answers with no label) is not a driver.
 */
export function driversOf(
  scale: ScoreScale,
  total: Histogram,
  groups: readonly { value: string; histogram: Histogram }[],
  { confidence, noneValue }: { confidence: number; noneValue: string },
): Driver[] {
  const totalCount = responseCount(total);
  if (totalCount === 0) return [];
  return groups
    .filter((group) => group.value !== noneValue && responseCount(group.histogram) > 0)
    .map((group): Driver => {
      const without = subtractHistogram(total, group.histogram);
      const n = responseCount(group.histogram);
      const nWithout = responseCount(without);
      const withIt = scoreOf(scale, group.histogram, confidence);
      const withoutIt = scoreOf(scale, without, confidence);
      const share = n / totalCount;
      const pointsAtStake =
        scale === 'nps'
          ? (100 * npsCounts(group.histogram).detractors) / totalCount
          : withIt.score === null || withoutIt.score === null
            ? null
            : share * (withoutIt.score - withIt.score);
      return {
        id: group.value,
        n,
        share,
        score: withIt.score,
        scoreWithout: withoutIt.score,
        interval: withIt.interval,
        intervalWithout: withoutIt.interval,
        pointsAtStake,
        pValue: nWithout === 0 ? null : comparePeriods(scale, group.histogram, without, { confidence }).pValue,
        smallSample: Math.min(n, nWithout) < MIN_ANSWERS_FOR_MEAN_TEST,
      };
    })
    .sort((a, b) => (b.pointsAtStake ?? -Infinity) - (a.pointsAtStake ?? -Infinity) || b.n - a.n);
}
