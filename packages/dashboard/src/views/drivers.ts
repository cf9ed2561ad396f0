import { h } from '../dom';
import type { Driver, DriversAnswer } from '../types';
import { note, type ViewContext } from './common';

const SHOWN = 8;

/** A bar's length in the 5 % steps of the `share-N` classes (classes, not inline styles, for a strict CSP). */
const barClass = (points: number, most: number) =>
  `share-${most <= 0 ? 0 : Math.max(5, Math.round((20 * points) / most) * 5)}`;

/**
 * "What costs us the most points": the topics ranked by the points at stake, a bar each, those with too few answers
 * to say marked; each bar links to the feedback that mentions its topic.
 */
export function driversChart(
  context: ViewContext,
  input: { answer: DriversAnswer; topicName: (id: string) => string; feedbackLink: (topic: string) => string },
): HTMLElement {
  const { tr, fmt } = context;
  const { scale } = input.answer;
  const costly = input.answer.topics
    .filter((driver): driver is Driver & { pointsAtStake: number } => (driver.pointsAtStake ?? 0) > 0)
    .slice(0, SHOWN);
  if (costly.length === 0) return note(tr.t('noDrivers'));
  const most = Math.max(...costly.map((driver) => driver.pointsAtStake));
  return h(
    'ol',
    { class: 'drivers', 'data-testid': 'drivers' },
    costly.map((driver) => {
      const points = fmt.number(driver.pointsAtStake, 1);
      const score = driver.score === null ? '—' : fmt.metric(scale, driver.score);
      const without = driver.scoreWithout === null ? '—' : fmt.metric(scale, driver.scoreWithout);
      return h(
        'li',
        { class: driver.smallSample ? 'driver small-sample' : 'driver', 'data-testid': `driver-${driver.id}` },
        h(
          'a',
          { href: input.feedbackLink(driver.id), class: 'driver-link' },
          h('span', { class: 'driver-name' }, input.topicName(driver.id)),
          h('span', { class: 'driver-points' }, tr.t('pointsAtStake', { points })),
          driver.smallSample ? h('span', { class: 'badge badge-few' }, tr.t('fewAnswers')) : null,
        ),
        h(
          'div',
          { class: 'driver-bar', 'aria-hidden': 'true' },
          h('span', { class: barClass(driver.pointsAtStake, most) }),
        ),
        h(
          'p',
          { class: 'driver-detail' },
          tr.t('driverDetail', {
            responses: tr.plural('responses', driver.n),
            share: fmt.percent(driver.share * 100, 0),
            score,
            without,
          }),
        ),
      );
    }),
  );
}
