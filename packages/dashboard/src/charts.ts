import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { DistributionBar, ScoreGroup, TrendSeries } from './shape';
import type { Scale } from './types';

// Only what the two charts use, so the bundle carries no other controller, scale or plugin.
Chart.register(
  LineController,
  LineElement,
  PointElement,
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  Filler,
  Tooltip,
  Legend,
);
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || 'system-ui, sans-serif';
Chart.defaults.color = '#2b2f36';
// Charts appear at once: no motion for people who asked for none, and no half-drawn canvas in screenshots.
Chart.defaults.animation = false;

/** Colours with at least 3:1 contrast against the white card (WCAG 1.4.11), told apart by the legend and table too. */
export const palette = {
  line: '#1558b0',
  band: 'rgba(21, 88, 176, 0.16)',
  bandEdge: 'rgba(21, 88, 176, 0.45)',
  groups: { low: '#b3261e', middle: '#8a5a00', high: '#1e6b34' } satisfies Record<ScoreGroup, string>,
};

export interface TrendChartInput {
  readonly scale: Scale;
  readonly labels: readonly string[];
  readonly series: TrendSeries;
  readonly valueLabel: string;
  readonly lowerLabel: string;
  readonly upperLabel: string;
  readonly tooltipFooter: (index: number) => string;
}

const charts = new WeakMap<HTMLCanvasElement, Chart>();

function replaceChart(canvas: HTMLCanvasElement, create: () => Chart): Chart {
  charts.get(canvas)?.destroy();
  const chart = create();
  charts.set(canvas, chart);
  return chart;
}

const yBounds: Record<Scale, { suggestedMin: number; suggestedMax: number }> = {
  nps: { suggestedMin: -20, suggestedMax: 60 },
  csat: { suggestedMin: 50, suggestedMax: 100 },
  ces: { suggestedMin: 3, suggestedMax: 7 },
};

/** The headline metric per bucket as a line, its confidence interval as a band filled between two hidden lines. */
export function drawTrend(canvas: HTMLCanvasElement, input: TrendChartInput): Chart {
  return replaceChart(
    canvas,
    () =>
      new Chart(canvas, {
        type: 'line',
        data: {
          labels: [...input.labels],
          datasets: [
            {
              label: input.lowerLabel,
              data: [...input.series.lower],
              borderColor: palette.bandEdge,
              borderWidth: 1,
              pointRadius: 0,
              fill: false,
            },
            {
              label: input.upperLabel,
              data: [...input.series.upper],
              borderColor: palette.bandEdge,
              backgroundColor: palette.band,
              borderWidth: 1,
              pointRadius: 0,
              fill: '-1',
            },
            {
              label: input.valueLabel,
              data: [...input.series.values],
              borderColor: palette.line,
              backgroundColor: palette.line,
              borderWidth: 2,
              pointRadius: 3,
              fill: false,
            },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          spanGaps: false,
          interaction: { mode: 'index', intersect: false },
          scales: { y: { ...yBounds[input.scale], ...(input.scale === 'nps' ? { min: -100, max: 100 } : {}) } },
          plugins: {
            legend: { position: 'bottom' },
            tooltip: { callbacks: { footer: (items) => input.tooltipFooter(items[0]?.dataIndex ?? 0) } },
          },
        },
      }),
  );
}

export interface DistributionChartInput {
  readonly bars: readonly DistributionBar[];
  readonly countLabel: string;
  readonly groupLabel: (group: ScoreGroup) => string;
}

/** Answers per score, each bar coloured by its group (detractor / passive / promoter for NPS). */
export function drawDistribution(canvas: HTMLCanvasElement, input: DistributionChartInput): Chart {
  return replaceChart(
    canvas,
    () =>
      new Chart(canvas, {
        type: 'bar',
        data: {
          labels: input.bars.map((bar) => String(bar.score)),
          datasets: [
            {
              label: input.countLabel,
              data: input.bars.map((bar) => bar.count),
              backgroundColor: input.bars.map((bar) => palette.groups[bar.group]),
            },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                footer: (items) => {
                  const bar = input.bars[items[0]?.dataIndex ?? 0];
                  return bar ? input.groupLabel(bar.group) : '';
                },
              },
            },
          },
        },
      }),
  );
}

export function destroyCharts(root: ParentNode): void {
  for (const canvas of root.querySelectorAll('canvas')) charts.get(canvas)?.destroy();
}
