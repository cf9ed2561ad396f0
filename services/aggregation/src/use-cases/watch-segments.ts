import type { Causation } from '@cxloop/events';
import { NONE_VALUE } from '../domain/counting';
import {
  benjaminiHochberg,
  comparedMetric,
  comparePeriods,
  driversOf,
  emptyHistogram,
  type Histogram,
  responseCount,
  responseRateDropPValue,
  type ScoreScale,
  subtractHistogram,
} from '../domain/metrics';
import { SelectionError, selectionFor } from '../domain/selection';
import { type LabelRange, sumOver } from '../domain/series';
import { ALL_VALUE, type SegmentWatchConfig } from '../domain/survey-config';
import { type SurveyMeta, timeZoneOf } from '../store';
import { type AlertDeps, type AlertDrop, alertWindows, headline, settleAlert } from './evaluate-alerts';
import { readHistograms } from './read-cells';

/** Drivers named in an alert: the topics whose points at stake grew most. */
const DRIVERS_IN_ALERT = 3;

interface Test {
  watchId: string;
  pValue: number;
  /** The alert, when the test points down. */
  drop?: AlertDrop;
}

/**
 * The topics of a segment whose points at stake grew most from the previous window; undefined where the survey does
 * not count the segment × topic combination (the drivers then stay out of the alert).
 */
async function segmentDrivers(
  deps: AlertDeps,
  meta: SurveyMeta,
  scale: ScoreScale,
  segment: { dimension: string; value: string },
  windows: { current: LabelRange; previous: LabelRange },
  options: SegmentWatchConfig,
): Promise<AlertDrop['drivers']> {
  let selection: ReturnType<typeof selectionFor>;
  try {
    selection = selectionFor(meta.config, { [segment.dimension]: segment.value }, 'topic');
  } catch (error) {
    if (error instanceof SelectionError) return undefined;
    throw error;
  }
  const byTopic = await readHistograms(deps.cells, meta, scale, selection, 'day', {
    first: windows.previous.first,
    last: windows.current.last,
  });
  const totalSelection = selectionFor(meta.config, { [segment.dimension]: segment.value });
  const totals = (
    await readHistograms(deps.cells, meta, scale, totalSelection, 'day', {
      first: windows.previous.first,
      last: windows.current.last,
    })
  ).get(ALL_VALUE);
  const driversIn = (range: LabelRange) =>
    new Map(
      driversOf(
        scale,
        totals ? sumOver(scale, totals, range) : emptyHistogram(scale),
        [...byTopic].map(([value, histograms]) => ({ value, histogram: sumOver(scale, histograms, range) })),
        { confidence: 1 - options.falseDiscoveryRate, noneValue: NONE_VALUE },
      ).map((driver) => [driver.id, driver.pointsAtStake]),
    );
  const [now, before] = [driversIn(windows.current), driversIn(windows.previous)];
  return [...now]
    .map(([id, pointsAtStake]) => {
      const previousPointsAtStake = before.get(id) ?? null;
      const change =
        pointsAtStake === null || previousPointsAtStake === null
          ? pointsAtStake
          : pointsAtStake - previousPointsAtStake;
      return { id, pointsAtStake, previousPointsAtStake, change };
    })
    .sort((a, b) => (b.change ?? -Infinity) - (a.change ?? -Infinity))
    .slice(0, DRIVERS_IN_ALERT);
}

/**
 * One survey's scheduled check: every value of every segment key against its previous window and against the rest of
 * the survey in the same window, and the survey's answers a day against the previous window — so a metric that falls
 * because answers stopped arriving is caught with no batch to trigger it. The tests are controlled together by
 * Benjamini–Hochberg; each watch raises MetricAlertRaised once per drop through {@link settleAlert}. Windows, sample
 * size and false discovery rate are the survey's `segmentWatch` config. Reads two cell ranges per segment key (the
 * survey's total, and the key's values), plus two per segment that fell (its drivers).
 */
export async function watchSurvey(
  deps: AlertDeps,
  meta: SurveyMeta,
  now: Date,
  causation: Causation,
): Promise<{ tested: number; falling: number }> {
  const scale = meta.scales[0];
  const options = meta.config.segmentWatch;
  if (!scale || !options.enabled) return { tested: 0, falling: 0 };
  const windows = alertWindows(now, options.windowDays, timeZoneOf(meta));
  const range = { first: windows.previous.first, last: windows.current.last };
  const confidence = 1 - options.falseDiscoveryRate;
  const totals = (await readHistograms(deps.cells, meta, scale, selectionFor(meta.config, {}), 'day', range)).get(
    ALL_VALUE,
  );
  const totalNow = totals ? sumOver(scale, totals, windows.current) : emptyHistogram(scale);
  const totalBefore = totals ? sumOver(scale, totals, windows.previous) : emptyHistogram(scale);
  const period = (window: LabelRange, histogram: Histogram) => ({
    from: window.first,
    to: window.last,
    n: responseCount(histogram),
    value: headline(scale, histogram),
  });

  const tests: Test[] = [];
  const [answeredNow, answeredBefore] = [responseCount(totalNow), responseCount(totalBefore)];
  const perDay = (count: number) => count / options.windowDays;
  tests.push({
    watchId: 'segment-watch:response_rate',
    pValue: responseRateDropPValue(answeredNow, answeredBefore),
    ...(answeredNow < answeredBefore
      ? {
          drop: {
            surveyId: meta.surveyId,
            ruleId: 'segment-watch:response_rate',
            kind: 'response_rate',
            scale,
            metric: 'responsesPerDay',
            current: {
              from: windows.current.first,
              to: windows.current.last,
              n: answeredNow,
              value: perDay(answeredNow),
            },
            previous: {
              from: windows.previous.first,
              to: windows.previous.last,
              n: answeredBefore,
              value: perDay(answeredBefore),
            },
            delta: perDay(answeredNow) - perDay(answeredBefore),
            pValue: responseRateDropPValue(answeredNow, answeredBefore),
            confidence,
          },
        }
      : {}),
  });

  for (const dimension of meta.config.segmentKeys) {
    const values = await readHistograms(
      deps.cells,
      meta,
      scale,
      selectionFor(meta.config, {}, dimension),
      'day',
      range,
    );
    for (const [value, histograms] of values) {
      if (value === NONE_VALUE) continue;
      const segmentNow = sumOver(scale, histograms, windows.current);
      if (responseCount(segmentNow) < options.minAnswers) continue;
      const against = [
        { kind: 'drop' as const, other: sumOver(scale, histograms, windows.previous), window: windows.previous },
        { kind: 'below_rest' as const, other: subtractHistogram(totalNow, segmentNow), window: windows.current },
      ];
      for (const { kind, other, window } of against) {
        if (responseCount(other) < options.minAnswers) continue;
        const comparison = comparePeriods(scale, segmentNow, other, { confidence });
        if (comparison.pValue === null || comparison.delta === null) continue;
        const watchId = `segment-watch:${kind}:${dimension}=${value}`;
        tests.push({
          watchId,
          pValue: comparison.pValue,
          ...(comparison.delta < 0
            ? {
                drop: {
                  surveyId: meta.surveyId,
                  ruleId: watchId,
                  kind,
                  scale,
                  metric: comparedMetric[scale],
                  segment: { dimension, value },
                  current: period(windows.current, segmentNow),
                  previous: period(window, other),
                  delta: comparison.delta,
                  pValue: comparison.pValue,
                  confidence,
                },
              }
            : {}),
        });
      }
    }
  }

  const qValues = benjaminiHochberg(tests.map((test) => test.pValue));
  let falling = 0;
  for (const [index, test] of tests.entries()) {
    const qValue = qValues[index]!;
    let drop: AlertDrop | undefined;
    if (test.drop && qValue < options.falseDiscoveryRate) {
      falling++;
      const drivers = test.drop.segment
        ? await segmentDrivers(deps, meta, scale, test.drop.segment, windows, options)
        : undefined;
      drop = { ...test.drop, qValue, tested: tests.length, ...(drivers ? { drivers } : {}) };
    }
    await settleAlert(deps, meta.surveyId, test.watchId, drop, now, causation);
  }
  return { tested: tests.length, falling };
}

/** The scheduled tick: every survey the service knows, in turn (one failing survey does not stop the others). */
export async function watchSegments(
  deps: AlertDeps,
  now: Date,
  causation: Causation,
): Promise<{ surveys: number; tested: number; falling: number; failed: { surveyId: string; error: Error }[] }> {
  const outcome = { surveys: 0, tested: 0, falling: 0, failed: [] as { surveyId: string; error: Error }[] };
  for (const surveyId of await deps.surveys.list()) {
    try {
      const { tested, falling } = await watchSurvey(deps, await deps.surveys.get(surveyId), now, causation);
      outcome.surveys++;
      outcome.tested += tested;
      outcome.falling += falling;
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      outcome.failed.push({ surveyId, error });
    }
  }
  return outcome;
}
