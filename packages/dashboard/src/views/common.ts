import { ApiError, NetworkError } from '../api';
import { h, uniqueId } from '../dom';
import type { Formatter } from '../format';
import type { MessageKey, Translator } from '../i18n';
import type { Change } from '../shape';
import type { Scale } from '../types';

export interface ViewContext {
  readonly tr: Translator;
  readonly fmt: Formatter;
}

/** What went wrong, in the reader's language. */
export function errorMessage({ tr }: ViewContext, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return tr.t('sessionEnded');
    if (error.status === 403) return tr.t('forbidden', { message: error.message });
    return tr.t('apiError', { status: error.status, message: error.message });
  }
  if (error instanceof NetworkError) return tr.t('networkError', { message: error.message });
  return tr.t('apiError', { status: '—', message: (error as Error)?.message ?? String(error) });
}

/** A titled card section, labelled by its heading. */
export function card(title: string, className: string, ...children: (Node | string | null | false)[]): HTMLElement {
  const headingId = uniqueId('heading');
  return h(
    'section',
    { class: `card ${className}`, 'aria-labelledby': headingId },
    h('h2', { id: headingId }, title),
    ...children,
  );
}

export const note = (text: string, className = 'note') => h('p', { class: className }, text);

export const scaleNames: Record<Scale, { short: MessageKey; name: MessageKey; explained: MessageKey }> = {
  nps: { short: 'npsShort', name: 'npsName', explained: 'npsExplained' },
  csat: { short: 'csatShort', name: 'csatName', explained: 'csatExplained' },
  ces: { short: 'cesShort', name: 'cesName', explained: 'cesExplained' },
};

/** "+3.5 pts, significant (p = 0.01)", with an arrow that is not the only cue (the words say it too). */
export function changeText(context: ViewContext, scale: Scale, change: Change): string {
  const { tr, fmt } = context;
  if (change.delta === null) return tr.t('noPreviousAnswers');
  const verdict =
    change.verdict === 'too-few'
      ? tr.t('tooFewToTest')
      : change.verdict === 'significant'
        ? tr.t('significant', { p: fmt.pValue(change.pValue ?? 0) })
        : tr.t('notSignificant', { p: fmt.pValue(change.pValue ?? 1) });
  return `${fmt.delta(scale, change.delta)}, ${verdict}`;
}

export function changeBadge(context: ViewContext, scale: Scale, change: Change): HTMLElement {
  const arrow = change.direction === 'up' ? '▲' : change.direction === 'down' ? '▼' : change.direction ? '＝' : '';
  const direction = change.direction ? context.tr.t(change.direction) : '';
  return h(
    'span',
    { class: `change change-${change.verdict} change-${change.direction ?? 'none'}` },
    arrow ? h('span', { 'aria-hidden': 'true' }, `${arrow} `) : null,
    direction ? h('span', { class: 'sr-only' }, `${direction}: `) : null,
    changeText(context, scale, change),
  );
}

/** A table with a caption; header cells get `scope`. */
export function dataTable(
  caption: string,
  headers: string[],
  rows: (string | Node)[][],
  className = '',
): HTMLTableElement {
  return h(
    'table',
    { class: `data ${className}` },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((header) => h('th', { scope: 'col' }, header)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          row.map((cell, index) => (index === 0 ? h('th', { scope: 'row' }, cell) : h('td', {}, cell))),
        ),
      ),
    ),
  );
}
