import { h } from '../dom';
import { labelOf } from '../i18n';
import { type CaseRow, caseRows } from '../shape';
import type { FollowUpCase, FollowUpMetrics } from '../types';
import { formatHash, type ViewState } from '../view-state';
import { note, type ViewContext } from './common';

const caseLink = (state: ViewState, caseId: string) => formatHash({ ...state, route: { name: 'case', caseId } });

function dueCell({ tr, fmt }: ViewContext, row: CaseRow): HTMLElement {
  return h(
    'span',
    { class: row.overdue ? 'due overdue' : 'due' },
    row.overdue ? h('strong', { class: 'badge badge-overdue' }, tr.t('overdue')) : null,
    row.overdue ? ' ' : null,
    h('time', { datetime: row.dueAt }, fmt.dateTime(row.dueAt)),
  );
}

/** Open cases, the most urgent first; each links to `#/cases/{caseId}`. */
export function caseTable(
  context: ViewContext,
  input: { cases: readonly FollowUpCase[]; now: Date; state: ViewState; surveyName: (surveyId: string) => string },
): HTMLElement {
  const { tr, fmt } = context;
  const rows = caseRows(input.cases, input.now);
  if (rows.length === 0) return note(tr.t('noOpenCases'));
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'data cases-table', 'data-testid': 'cases-table' },
      h('caption', { class: 'sr-only' }, tr.t('openFollowUps')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            tr.t('reason'),
            tr.t('survey'),
            tr.t('score'),
            tr.t('owner'),
            tr.t('priority'),
            tr.t('due'),
            tr.t('opened'),
          ].map((label) => h('th', { scope: 'col' }, label)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            { class: row.overdue ? 'is-overdue' : null },
            h(
              'th',
              { scope: 'row' },
              h('a', { href: caseLink(input.state, row.caseId) }, labelOf(tr, 'reason', row.reason)),
            ),
            h('td', {}, row.surveyId ? input.surveyName(row.surveyId) : '—'),
            h('td', { class: 'numeric' }, row.score === undefined ? '—' : String(row.score)),
            h('td', {}, row.owner ?? h('span', { class: 'muted' }, tr.t('unassigned'))),
            h('td', {}, h('span', { class: `badge badge-${row.priority}` }, labelOf(tr, 'priority', row.priority))),
            h('td', {}, dueCell(context, row)),
            h('td', {}, h('time', { datetime: row.openedAt }, fmt.dateTime(row.openedAt))),
          ),
        ),
      ),
    ),
  );
}

/** The closed loop's figures (`GET /v1/followup-metrics`), when the API serves them. */
export function loopMetricsView(context: ViewContext, metrics: FollowUpMetrics): HTMLElement {
  const { tr, fmt } = context;
  // An API that cannot compute a figure yet (no case settled) may send null or leave it out.
  const duration = (ms: number | null | undefined) =>
    typeof ms === 'number' && Number.isFinite(ms) ? fmt.duration(ms) : tr.t('notMeasured');
  const share =
    typeof metrics.shareContactedWithinSla !== 'number'
      ? tr.t('notMeasured')
      : `${fmt.percent(100 * metrics.shareContactedWithinSla, 0)} (${fmt.number(metrics.contactedWithinSla)} / ${fmt.number(metrics.slaSettled)})`;
  return h(
    'div',
    { class: 'loop-metrics', 'data-testid': 'loop-metrics' },
    h(
      'dl',
      { class: 'figures' },
      h(
        'div',
        {},
        h('dt', {}, tr.t('cases')),
        h('dd', { 'data-testid': 'loop-cases' }, fmt.number(metrics.cases ?? 0)),
      ),
      h('div', {}, h('dt', {}, tr.t('contactedWithinSla')), h('dd', {}, share)),
      h('div', {}, h('dt', {}, tr.t('medianFirstContact')), h('dd', {}, duration(metrics.medianTimeToFirstContactMs))),
      h('div', {}, h('dt', {}, tr.t('medianResolution')), h('dd', {}, duration(metrics.medianTimeToResolutionMs))),
    ),
    (metrics.byOwner ?? []).length === 0
      ? null
      : h(
          'table',
          { class: 'data' },
          h('caption', {}, tr.t('byOwner')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [tr.t('owner'), tr.t('open'), tr.t('overdueCount')].map((label) => h('th', { scope: 'col' }, label)),
            ),
          ),
          h(
            'tbody',
            {},
            (metrics.byOwner ?? []).map((row) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, row.owner || tr.t('unassigned')),
                h('td', { class: 'numeric' }, fmt.number(row.open)),
                h('td', { class: 'numeric' }, fmt.number(row.overdue)),
              ),
            ),
          ),
        ),
  );
}

/** One case (`#/cases/{caseId}`): what the customer said, where the case stands and what happened to it. */
export function caseDetails(context: ViewContext, item: FollowUpCase, now: Date): HTMLElement {
  const { tr, fmt } = context;
  const overdue =
    !item.firstContactAt && Date.parse(item.dueAt) < now.getTime() && ['open', 'acknowledged'].includes(item.status);
  const when = (iso: string | undefined) => (iso ? h('time', { datetime: iso }, fmt.dateTime(iso)) : '—');
  const entries: [string, Node | string][] = [
    [tr.t('status'), labelOf(tr, 'status', item.status)],
    [tr.t('reason'), labelOf(tr, 'reason', item.reason)],
    [tr.t('priority'), h('span', { class: `badge badge-${item.priority}` }, labelOf(tr, 'priority', item.priority))],
    [tr.t('owner'), item.owner ?? tr.t('unassigned')],
    [tr.t('score'), item.score === undefined ? '—' : String(item.score)],
    [tr.t('sentiment'), item.sentiment ? tr.t(item.sentiment.label) : '—'],
    [tr.t('opened'), when(item.openedAt)],
    [
      tr.t('due'),
      h(
        'span',
        {},
        overdue ? h('strong', { class: 'badge badge-overdue' }, tr.t('overdue')) : null,
        overdue ? ' ' : null,
        when(item.dueAt),
      ),
    ],
    [tr.t('acknowledgedAt'), when(item.acknowledgedAt)],
    [tr.t('firstContactAt'), when(item.firstContactAt)],
    [tr.t('resolvedAt'), when(item.resolvedAt)],
    [tr.t('closedAt'), when(item.closedAt)],
  ];
  return h(
    'div',
    { class: 'case', 'data-testid': 'case-details' },
    h('h3', {}, tr.t('feedback')),
    h('blockquote', { class: 'case-text' }, item.text ?? tr.t('noText')),
    h(
      'dl',
      { class: 'case-fields' },
      entries.map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))),
    ),
    h('h3', {}, tr.t('notes')),
    (item.notes ?? []).length === 0
      ? note(tr.t('noNotes'))
      : h(
          'ul',
          { class: 'notes' },
          (item.notes ?? []).map((entry) =>
            h(
              'li',
              {},
              h('p', {}, entry.text),
              h('p', { class: 'example-meta' }, `${entry.author} · ${fmt.dateTime(entry.at)}`),
            ),
          ),
        ),
  );
}
