import { h } from '../dom';
import type { Locale } from '../i18n';
import { type Scale, scales } from '../types';
import type { ViewState } from '../view-state';
import { card, type ViewContext } from './common';
import { type FiltersView, filtersView } from './filters';

/** The dashboard page's frame: each section is a slot that the page fills as its answer arrives. */
export interface DashboardLayout {
  readonly locale: Locale;
  readonly root: HTMLElement;
  readonly filters: FiltersView;
  readonly alert: HTMLElement;
  readonly tiles: Record<Scale, HTMLElement>;
  readonly trend: HTMLElement;
  readonly distribution: HTMLElement;
  readonly breakdownBy: HTMLSelectElement;
  readonly breakdown: HTMLElement;
  readonly topics: HTMLElement;
  readonly drivers: HTMLElement;
  readonly cases: HTMLElement;
  readonly outreach: HTMLElement;
  readonly loopMetrics: HTMLElement;
}

export function dashboardLayout(
  context: ViewContext,
  locale: Locale,
  navigate: (change: Partial<ViewState>) => void,
): DashboardLayout {
  const { tr } = context;
  const filters = filtersView(context, navigate);
  const alert = h('div', { class: 'alert', role: 'alert', 'data-testid': 'alert' });
  const tiles: Record<Scale, HTMLElement> = {
    nps: h('div', { class: 'tile-slot' }),
    csat: h('div', { class: 'tile-slot' }),
    ces: h('div', { class: 'tile-slot' }),
  };
  const breakdownBy: HTMLSelectElement = h('select', {
    id: 'breakdown-by',
    'data-testid': 'breakdown-by',
    on: { change: () => navigate({ groupBy: breakdownBy.value }) },
  });
  const breakdown = h('div', { class: 'breakdown-body' });
  const topics = h('div', { class: 'topics-body' });
  const drivers = h('div', { class: 'drivers-body' });
  const cases = h('div', { class: 'cases-body' });
  const outreach = h('div', { class: 'outreach-body' });
  const loopMetrics = h('div', { class: 'loop-body' });
  const trend = h('div', { class: 'chart-slot' });
  const distribution = h('div', { class: 'chart-slot' });
  const tilesHeading = 'tiles-heading';
  const root = h(
    'div',
    { class: 'dashboard' },
    filters.element,
    alert,
    h(
      'section',
      { class: 'tiles', 'aria-labelledby': tilesHeading },
      h('h2', { id: tilesHeading, class: 'sr-only' }, tr.t('keyMetrics')),
      scales.map((scale) => tiles[scale]),
    ),
    h('div', { class: 'charts' }, trend, distribution),
    card(
      tr.t('breakdown'),
      'breakdown',
      h('div', { class: 'field inline' }, h('label', { for: 'breakdown-by' }, tr.t('breakdownBy')), breakdownBy),
      breakdown,
    ),
    card(tr.t('driversTitle'), 'drivers-card', h('p', { class: 'caption' }, tr.t('driversCaption')), drivers),
    card(tr.t('topTopics'), 'topics-card', h('p', { class: 'caption' }, tr.t('topicsCaption')), topics),
    card(
      tr.t('openFollowUps'),
      'followups',
      cases,
      h('h3', {}, tr.t('outreachTitle')),
      outreach,
      h('h3', {}, tr.t('closedLoop')),
      loopMetrics,
    ),
  );
  return {
    locale,
    root,
    filters,
    alert,
    tiles,
    trend,
    distribution,
    breakdownBy,
    breakdown,
    topics,
    drivers,
    cases,
    outreach,
    loopMetrics,
  };
}
