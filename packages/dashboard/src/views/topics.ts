import { h } from '../dom';
import { type BreakdownRow, exampleComments, sentimentShares } from '../shape';
import type { FeedbackItem, Scale, Sentiment } from '../types';
import { note, scaleNames, type ViewContext } from './common';

export type TopicComments =
  | { readonly kind: 'items'; readonly items: readonly FeedbackItem[] }
  | { readonly kind: 'unavailable'; readonly message: string };

const sentiments: readonly Sentiment[] = ['positive', 'neutral', 'negative'];

/** The most mentioned topics: answers, score ± margin, the sentiment of their latest comments, and examples. */
export function topicsList(
  context: ViewContext,
  input: {
    scale: Scale;
    topics: readonly BreakdownRow[];
    comments: ReadonlyMap<string, TopicComments>;
    topicName: (id: string) => string;
  },
): HTMLElement {
  const { tr, fmt } = context;
  if (input.topics.length === 0) return note(tr.t('noTopics'));
  const metric = tr.t(scaleNames[input.scale].short);
  return h(
    'ol',
    { class: 'topics', 'data-testid': 'topics' },
    input.topics.map((topic) => {
      const comments = input.comments.get(topic.value);
      const figure =
        topic.headline.value === null
          ? '—'
          : `${fmt.metric(input.scale, topic.headline.value)}${topic.headline.margin === null ? '' : ` ${fmt.margin(input.scale, topic.headline.margin)}`}`;
      return h(
        'li',
        { class: 'topic' },
        h('h3', {}, input.topicName(topic.value)),
        h(
          'p',
          { class: 'topic-figures' },
          h('span', {}, tr.plural('responses', topic.n)),
          ' · ',
          h('span', {}, `${metric} ${figure}`),
        ),
        comments === undefined
          ? note(tr.t('loading'))
          : comments.kind === 'unavailable'
            ? note(comments.message)
            : commentsOf(context, topic.value, comments.items),
      );
    }),
  );
}

/** The sentiment of a topic's latest comments and examples with the topic's evidence marked. */
export function commentsOf(context: ViewContext, topicId: string, items: readonly FeedbackItem[]): HTMLElement {
  const { tr, fmt } = context;
  const shares = sentimentShares(items);
  const examples = exampleComments(items, topicId);
  const parts = sentiments.map((sentiment) => `${tr.t(sentiment)} ${fmt.number(shares[sentiment])}`).join(' · ');
  return h(
    'div',
    { class: 'topic-comments' },
    shares.total === 0
      ? null
      : h(
          'div',
          { class: 'sentiment' },
          h('p', { class: 'sentiment-label' }, `${tr.t('sentimentOfLatest')} (${fmt.number(shares.total)}): ${parts}`),
          h(
            'div',
            { class: 'sentiment-bar', 'aria-hidden': 'true' },
            sentiments
              .filter((sentiment) => shares[sentiment] > 0)
              .map((sentiment) =>
                h('span', {
                  class: `sentiment-${sentiment} share-${Math.round((20 * shares[sentiment]) / shares.total) * 5}`,
                }),
              ),
          ),
        ),
    examples.length === 0
      ? note(tr.t('noComments'))
      : h(
          'ul',
          { class: 'examples', 'aria-label': tr.t('exampleComments') },
          examples.map((example) =>
            h(
              'li',
              {},
              h(
                'blockquote',
                {},
                example.segments.map((segment) => (segment.evidence ? h('mark', {}, segment.text) : segment.text)),
              ),
              h(
                'p',
                { class: 'example-meta' },
                [example.score === undefined ? '' : `${tr.t('score')} ${example.score}`, tr.t(example.sentiment)]
                  .filter(Boolean)
                  .join(' · '),
              ),
            ),
          ),
        ),
  );
}
