import { ApiError } from './api';
import { destroyCharts } from './charts';
import { h, replaceChildren } from './dom';
import { settle } from './loading';
import type { PageHost } from './page-host';
import type { FollowUpCase } from './types';
import { formatHash } from './view-state';
import { card, note } from './views/common';
import { caseDetails } from './views/followups';

/** One follow-up case, with a link back to the dashboard view it came from. */
export async function showCase(host: PageHost, caseId: string): Promise<void> {
  const load = host.startLoad();
  const { tr } = host.context;
  const body = h('div', {}, note(tr.t('loading')));
  const back = h(
    'a',
    { href: formatHash({ ...host.state, route: { name: 'dashboard' } }), class: 'back' },
    `← ${tr.t('backToDashboard')}`,
  );
  destroyCharts(host.main);
  replaceChildren(host.main, back, card(`${tr.t('caseTitle')} ${caseId}`, 'case-card', body));
  if (host.role !== 'admin') {
    replaceChildren(body, note(tr.t('followUpsNeedAdmin')));
    return;
  }
  const result = await settle(host.api.get<FollowUpCase>(`v1/followups/${encodeURIComponent(caseId)}`, load.signal));
  if (!load.current()) return;
  if (result.ok) replaceChildren(body, caseDetails(host.context, result.value, new Date()));
  else if (result.error instanceof ApiError && result.error.status === 404) {
    replaceChildren(body, note(tr.t('caseNotFound', { id: caseId }), 'note error-text'));
  } else replaceChildren(body, note(host.failed(result.error), 'note error-text'));
  host.main.focus();
}
