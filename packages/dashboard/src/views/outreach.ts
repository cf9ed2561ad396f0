import { h } from '../dom';
import { labelOf } from '../i18n';
import type { Outreach } from '../types';
import { formatHash, type ViewState } from '../view-state';
import { note, type ViewContext } from './common';

/** The survey's outreach for segments whose metric fell: per segment its people (one case each) and their progress. */
export function outreachList(
  context: ViewContext,
  input: { items: readonly Outreach[]; state: ViewState },
): HTMLElement {
  const { tr, fmt } = context;
  if (input.items.length === 0) return note(tr.t('noOutreach'));
  return h(
    'div',
    { class: 'outreach', 'data-testid': 'outreach' },
    input.items.map((outreach) => {
      const { people, contacted, resolved } = outreach.progress;
      const segment = `${outreach.segment.dimension} = ${outreach.segment.value}`;
      return h(
        'section',
        { class: 'outreach-item', 'aria-label': tr.t('outreachFor', { segment }) },
        h('h4', {}, tr.t('outreachFor', { segment })),
        h(
          'p',
          { class: 'caption' },
          tr.t('outreachSummary', {
            delta: fmt.number(Math.abs(outreach.delta), 1),
            owner: outreach.owner,
            opened: fmt.dateTime(outreach.openedAt),
          }),
        ),
        h(
          'p',
          { class: 'outreach-progress', 'data-testid': 'outreach-progress' },
          tr.t('outreachProgress', {
            contacted: fmt.number(contacted),
            resolved: fmt.number(resolved),
            people: fmt.number(people),
          }),
        ),
        h('progress', {
          max: String(Math.max(people, 1)),
          value: String(contacted),
          'aria-label': tr.t('outreachContacted'),
        }),
        people === 0
          ? note(tr.t('outreachNobody'))
          : h(
              'table',
              { class: 'data outreach-table' },
              h('caption', { class: 'sr-only' }, tr.t('outreachFor', { segment })),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  [tr.t('reason'), tr.t('score'), tr.t('owner'), tr.t('status'), tr.t('due')].map((label) =>
                    h('th', { scope: 'col' }, label),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                outreach.people.map((person) =>
                  h(
                    'tr',
                    { class: person.overdue ? 'is-overdue' : null },
                    h(
                      'th',
                      { scope: 'row' },
                      h(
                        'a',
                        { href: formatHash({ ...input.state, route: { name: 'case', caseId: person.caseId } }) },
                        labelOf(tr, 'reason', person.reason),
                      ),
                    ),
                    h('td', { class: 'numeric' }, person.score === undefined ? '—' : String(person.score)),
                    h('td', {}, person.owner ?? h('span', { class: 'muted' }, tr.t('unassigned'))),
                    h('td', {}, labelOf(tr, 'status', person.status)),
                    h(
                      'td',
                      {},
                      person.overdue ? h('strong', { class: 'badge badge-overdue' }, tr.t('overdue')) : null,
                      person.overdue ? ' ' : null,
                      h('time', { datetime: person.dueAt }, fmt.dateTime(person.dueAt)),
                    ),
                  ),
                ),
              ),
            ),
      );
    }),
  );
}
