import { h, uniqueId } from '../dom';
import { changeOf, headlineOf } from '../shape';
import type { MetricsAnswer, Scale } from '../types';
import { changeBadge, scaleNames, type ViewContext } from './common';

/** Below this many answers a figure is marked: its interval is wide, and the next answers can move it a lot. */
export const FEW_ANSWERS = 30;

export type TileData =
  | { readonly kind: 'figures'; readonly answer: MetricsAnswer }
  | { readonly kind: 'not-asked' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly message: string };

/** One metric: its value, n, ± margin, interval, and the change against the previous period. */
export function tile(context: ViewContext, scale: Scale, data: TileData): HTMLElement {
  const { tr, fmt } = context;
  const names = scaleNames[scale];
  const headingId = uniqueId('tile');
  const body: (Node | null)[] = [];
  if (data.kind === 'loading') body.push(h('p', { class: 'note' }, tr.t('loading')));
  else if (data.kind === 'error') body.push(h('p', { class: 'note error-text' }, data.message));
  else if (data.kind === 'not-asked') body.push(h('p', { class: 'note' }, tr.t('notAsked')));
  else {
    const { answer } = data;
    const headline = headlineOf(scale, answer);
    if (headline.value === null) {
      body.push(
        h('p', { class: 'tile-value', 'data-testid': `${scale}-value` }, '—'),
        h('p', { class: 'tile-n', 'data-testid': `${scale}-n` }, tr.plural('responses', headline.n)),
        h('p', { class: 'note' }, tr.t('noAnswers')),
      );
    } else {
      const confidence = fmt.confidence(answer.confidence);
      body.push(
        h(
          'p',
          { class: 'tile-figure' },
          h('span', { class: 'tile-value', 'data-testid': `${scale}-value` }, fmt.metric(scale, headline.value)),
          headline.margin === null
            ? null
            : h(
                'span',
                {
                  class: 'tile-margin',
                  'data-testid': `${scale}-margin`,
                  title: tr.t('marginOfError', { confidence }),
                },
                ` ${fmt.margin(scale, headline.margin)}`,
                h('span', { class: 'sr-only' }, ` (${tr.t('marginOfError', { confidence })})`),
              ),
        ),
        h('p', { class: 'tile-n', 'data-testid': `${scale}-n` }, tr.plural('responses', headline.n)),
        headline.n < FEW_ANSWERS
          ? h(
              'p',
              { class: 'tile-few', 'data-testid': `${scale}-few` },
              h('span', { class: 'badge badge-few' }, tr.t('fewAnswers')),
              ` ${tr.t('fewAnswersNote', { n: fmt.number(FEW_ANSWERS) })}`,
            )
          : null,
        headline.lower === null || headline.upper === null
          ? null
          : h(
              'p',
              { class: 'tile-detail' },
              tr.t('confidenceInterval', {
                confidence,
                lower: fmt.metric(scale, headline.lower),
                upper: fmt.metric(scale, headline.upper),
              }),
            ),
        h('p', { class: 'tile-detail' }, detailOf(context, scale, answer)),
        h(
          'p',
          { class: 'tile-change', 'data-testid': `${scale}-change` },
          h('span', { class: 'tile-change-label' }, `${tr.t('versusPrevious')}: `),
          changeBadge(context, scale, changeOf(answer.comparison)),
        ),
      );
    }
  }
  return h(
    'article',
    { class: `tile tile-${scale}`, 'aria-labelledby': headingId, 'data-testid': `tile-${scale}` },
    h(
      'h3',
      { id: headingId },
      h('abbr', { title: tr.t(names.name) }, tr.t(names.short)),
      h('span', { class: 'tile-name' }, ` · ${tr.t(names.name)}`),
    ),
    h('p', { class: 'tile-explained' }, tr.t(names.explained)),
    ...body,
  );
}

function detailOf({ tr, fmt }: ViewContext, scale: Scale, answer: MetricsAnswer): string {
  switch (scale) {
    case 'nps':
      return tr.t('npsSplit', {
        promoters: fmt.percent(answer.promoterPercent ?? 0, 0),
        passives: fmt.percent(answer.passivePercent ?? 0, 0),
        detractors: fmt.percent(answer.detractorPercent ?? 0, 0),
      });
    case 'csat':
      return answer.mean ? tr.t('csatMean', { mean: fmt.number(answer.mean.mean, 2) }) : '';
    case 'ces':
      return answer.easy ? tr.t('cesEasy', { percent: fmt.percent(answer.easy.percent, 0) }) : '';
  }
}
