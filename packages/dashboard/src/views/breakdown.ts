import { h } from '../dom';
import type { MessageKey } from '../i18n';
import { type BreakdownRow, type SortDirection, type SortKey, sortRows } from '../shape';
import type { Scale } from '../types';
import { changeBadge, note, scaleNames, type ViewContext } from './common';

export interface Sort {
  readonly key: SortKey;
  readonly direction: SortDirection;
}

export const builtInDimensions = ['channel', 'source', 'language', 'sentiment', 'topic', 'intent'] as const;

/** A dimension's name: built-in ones are translated, segment keys (customer attributes) shown as they are. */
export function dimensionLabel({ tr }: ViewContext, dimension: string): string {
  if (dimension === 'language') return tr.t('language_dimension');
  return (builtInDimensions as readonly string[]).includes(dimension) ? tr.t(dimension as MessageKey) : dimension;
}

/** A dimension's value for people: sentiments translated, topics by their taxonomy names. */
export type ValueLabel = (dimension: string, value: string) => string;

/**
 * The breakdown table: one row per value of the dimension, sortable by each column with a button in its header
 * (`aria-sort` says which column sorts the rows, and in which direction).
 */
export function breakdownTable(
  context: ViewContext,
  input: {
    scale: Scale;
    dimension: string;
    rows: readonly BreakdownRow[];
    sort: Sort;
    onSort: (sort: Sort) => void;
    valueLabel: ValueLabel;
  },
): HTMLElement {
  const { tr, fmt } = context;
  const { scale, rows, sort } = input;
  if (rows.length === 0) return note(tr.t('breakdownEmpty'));
  const metric = tr.t(scaleNames[scale].short);
  const columns: { key: SortKey; label: string; numeric: boolean }[] = [
    { key: 'value', label: dimensionLabel(context, input.dimension), numeric: false },
    { key: 'n', label: 'n', numeric: true },
    { key: 'score', label: metric, numeric: true },
    { key: 'margin', label: tr.t('margin'), numeric: true },
    { key: 'change', label: tr.t('change'), numeric: false },
  ];
  const header = h(
    'tr',
    {},
    columns.map((column) => {
      const active = sort.key === column.key;
      const next: SortDirection = active && sort.direction === 'descending' ? 'ascending' : 'descending';
      return h(
        'th',
        { scope: 'col', 'aria-sort': active ? sort.direction : null, class: column.numeric ? 'numeric' : null },
        h(
          'button',
          {
            type: 'button',
            class: 'sort',
            'data-sort': column.key,
            title: tr.t('sortBy', { column: column.label }),
            on: {
              click: () =>
                input.onSort({
                  key: column.key,
                  direction: active ? next : column.numeric ? 'descending' : 'ascending',
                }),
            },
          },
          column.label,
          h(
            'span',
            { 'aria-hidden': 'true', class: 'sort-mark' },
            active ? (sort.direction === 'ascending' ? ' ↑' : ' ↓') : ' ↕',
          ),
        ),
      );
    }),
  );
  const body = sortRows(rows, sort.key, sort.direction).map((row) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, input.valueLabel(input.dimension, row.value)),
      h('td', { class: 'numeric' }, fmt.number(row.n)),
      h('td', { class: 'numeric' }, row.headline.value === null ? '—' : fmt.metric(scale, row.headline.value)),
      h('td', { class: 'numeric' }, row.headline.margin === null ? '—' : fmt.margin(scale, row.headline.margin)),
      h('td', {}, changeBadge(context, scale, row.change)),
    ),
  );
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'data breakdown-table', 'data-testid': 'breakdown-table' },
      h('caption', {}, `${tr.t('breakdown')}: ${metric} · ${dimensionLabel(context, input.dimension)}`),
      h('thead', {}, header),
      h('tbody', {}, body),
    ),
  );
}
