import { drawDistribution, drawTrend } from '../charts';
import { h } from '../dom';
import type { MessageKey } from '../i18n';
import { distributionOf, type ScoreGroup, trendOf } from '../shape';
import type { Interval, MetricsAnswer, Scale } from '../types';
import { card, dataTable, note, scaleNames, type ViewContext } from './common';

const groupLabels: Record<Scale, Record<ScoreGroup, MessageKey>> = {
  nps: { low: 'detractors', middle: 'passives', high: 'promoters' },
  csat: { low: 'csatLow', middle: 'csatLow', high: 'csatHigh' },
  ces: { low: 'cesLow', middle: 'cesLow', high: 'cesHigh' },
};

/**
 * The trend as a Chart.js line with its confidence band, and the same figures as a table (the chart's text
 * alternative, also for screen readers: the canvas itself is an image with a one-line summary).
 */
export function trendSection(context: ViewContext, answer: MetricsAnswer, interval: Interval): HTMLElement {
  const { tr, fmt } = context;
  const scale = answer.scale;
  const metric = tr.t(scaleNames[scale].short);
  const points = answer.points ?? [];
  const series = trendOf(scale, points);
  const labels = points.map((point) => fmt.bucket(interval, point.start, point.end, answer.timeZone));
  const confidence = fmt.confidence(answer.confidence);
  const caption = tr.t('trendCaption', { metric, interval: tr.t(interval).toLowerCase(), confidence });
  const hasAnswers = series.counts.some((count) => count > 0);
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${caption}. ${tr.t('chartSummary', { metric, first: labels[0] ?? '', last: labels.at(-1) ?? '', points: labels.length })}`,
    'data-testid': 'trend-chart',
  });
  const value = (figure: number | null) => (figure === null ? '—' : fmt.metric(scale, figure));
  const table = dataTable(
    caption,
    [tr.t('bucket'), 'n', metric, tr.t('lowerBound'), tr.t('upperBound')],
    points.map((_, index) => [
      labels[index] ?? '',
      fmt.number(series.counts[index] ?? 0),
      value(series.values[index] ?? null),
      value(series.counts[index] ? (series.lower[index] ?? null) : null),
      value(series.counts[index] ? (series.upper[index] ?? null) : null),
    ]),
    'trend-table',
  );
  const section = card(
    tr.t('trend'),
    'trend',
    h('p', { class: 'caption' }, caption),
    hasAnswers ? null : note(tr.t('noPoints')),
    h('div', { class: 'chart' }, canvas),
    h('details', {}, h('summary', {}, tr.t('showTable')), table),
  );
  queueMicrotask(() =>
    drawTrend(canvas, {
      scale,
      labels,
      series,
      valueLabel: metric,
      lowerLabel: `${tr.t('lowerBound')} (${confidence})`,
      upperLabel: `${tr.t('upperBound')} (${confidence})`,
      tooltipFooter: (index) => `n = ${fmt.number(series.counts[index] ?? 0)}`,
    }),
  );
  return section;
}

/** Answers per score as bars coloured by group, with the counts and shares as a table. */
export function distributionSection(context: ViewContext, answer: MetricsAnswer): HTMLElement {
  const { tr, fmt } = context;
  const scale = answer.scale;
  const bars = distributionOf(scale, answer.histogram);
  const caption = tr.t('distributionCaption', { from: fmt.day(answer.from), to: fmt.day(answer.to) });
  const groupLabel = (group: ScoreGroup) => tr.t(groupLabels[scale][group]);
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${tr.t('distribution')}: ${bars.map((bar) => `${bar.score} — ${fmt.number(bar.count)}`).join('; ')}`,
    'data-testid': 'distribution-chart',
  });
  const legendGroups = [...new Set(bars.map((bar) => bar.group))];
  const section = card(
    tr.t('distribution'),
    'distribution',
    h('p', { class: 'caption' }, caption),
    h(
      'ul',
      { class: 'legend', 'aria-label': tr.t('group') },
      legendGroups.map((group) =>
        h('li', {}, h('span', { class: `swatch swatch-${group}`, 'aria-hidden': 'true' }), groupLabel(group)),
      ),
    ),
    h('div', { class: 'chart' }, canvas),
    h(
      'details',
      {},
      h('summary', {}, tr.t('showTable')),
      dataTable(
        caption,
        [tr.t('score'), tr.t('answers'), tr.t('share'), tr.t('group')],
        bars.map((bar) => [
          String(bar.score),
          fmt.number(bar.count),
          bar.share === null ? '—' : fmt.percent(bar.share),
          groupLabel(bar.group),
        ]),
        'distribution-table',
      ),
    ),
  );
  queueMicrotask(() => drawDistribution(canvas, { bars, countLabel: tr.t('answers'), groupLabel }));
  return section;
}
