import { destroyCharts } from './charts';
import { h, replaceChildren } from './dom';
import { settle } from './loading';
import type { PageHost } from './page-host';
import type { FeedbackPage, SurveyAnswer } from './types';
import { formatHash, rangeOf } from './view-state';
import { card, note } from './views/common';
import { commentsOf } from './views/topics';

const SHOWN = 50;

/** The feedback explorer: the period's feedback of the hash's survey that mentions one topic, newest first. */
export async function showFeedback(host: PageHost, topic: string): Promise<void> {
  const load = host.startLoad();
  const { tr } = host.context;
  const body = h('div', { 'data-testid': 'feedback' }, note(tr.t('loading')));
  const back = h(
    'a',
    { href: formatHash({ ...host.state, route: { name: 'dashboard' } }), class: 'back' },
    `← ${tr.t('backToDashboard')}`,
  );
  destroyCharts(host.main);
  replaceChildren(host.main, back, card(tr.t('feedbackTitle', { topic }), 'feedback-card', body));
  const { survey } = host.state;
  if (host.role !== 'admin' || !survey) {
    replaceChildren(body, note(tr.t(survey ? 'commentsNeedAdmin' : 'chooseSurvey')));
    return;
  }
  // The period's days are the survey's, as on the dashboard: the browser's own time zone may be a day apart.
  const found = await settle(host.api.get<SurveyAnswer>(`v1/surveys/${encodeURIComponent(survey)}`, load.signal));
  if (!load.current()) return;
  const timeZone = found.ok ? found.value.timeZone : Intl.DateTimeFormat().resolvedOptions().timeZone;
  const range = rangeOf(host.state, timeZone);
  const query = new URLSearchParams({ surveyId: survey, ...range, topic, limit: String(SHOWN) });
  const result = await settle(host.api.get<FeedbackPage>(`v1/feedback?${query}`, load.signal));
  if (!load.current()) return;
  if (!result.ok) replaceChildren(body, note(host.failed(result.error), 'note error-text'));
  else if (result.value.items.length === 0) replaceChildren(body, note(tr.t('noFeedback')));
  else replaceChildren(body, commentsOf(host.context, topic, result.value.items));
  host.main.focus();
}
