import { ApiError } from './api';
import { h, replaceChildren } from './dom';
import { settle } from './loading';
import type { Load, PageHost } from './page-host';
import type { CasePage, FollowUpCase, FollowUpMetrics } from './types';
import { note } from './views/common';
import { caseTable, loopMetricsView } from './views/followups';

/** The dashboard's follow-up panel: open cases, 25 at a time, and the closed-loop figures. */
export async function loadFollowUps(
  host: PageHost,
  slots: { readonly cases: HTMLElement; readonly loopMetrics: HTMLElement },
  load: Load,
  surveyName: (surveyId: string) => string,
): Promise<void> {
  const { context } = host;
  const { tr } = context;
  if (host.role !== 'admin') {
    replaceChildren(slots.cases, note(tr.t('followUpsNeedAdmin')));
    replaceChildren(slots.loopMetrics, note(tr.t('followUpsNeedAdmin')));
    return;
  }
  const now = new Date();
  const cases: FollowUpCase[] = [];
  const loadPage = async (cursor?: string) => {
    const query = new URLSearchParams({ status: 'open', limit: '25', ...(cursor ? { cursor } : {}) });
    const result = await settle(host.api.get<CasePage>(`v1/followups?${query}`, load.signal));
    if (!load.current()) return;
    if (!result.ok) {
      replaceChildren(slots.cases, note(host.failed(result.error), 'note error-text'));
      return;
    }
    cases.push(...result.value.items);
    const next = result.value.nextCursor;
    replaceChildren(
      slots.cases,
      caseTable(context, { cases, now, state: host.state, surveyName }),
      next
        ? h(
            'button',
            { type: 'button', class: 'secondary', on: { click: () => void loadPage(next) } },
            tr.t('showMore'),
          )
        : null,
    );
  };
  const metricsRequest = settle(host.api.get<FollowUpMetrics>('v1/followup-metrics', load.signal));
  await loadPage();
  const metrics = await metricsRequest;
  if (!load.current()) return;
  if (metrics.ok) replaceChildren(slots.loopMetrics, loopMetricsView(context, metrics.value));
  else if (metrics.error instanceof ApiError && metrics.error.status === 404) {
    replaceChildren(slots.loopMetrics, note(tr.t('loopMetricsUnavailable')));
  } else replaceChildren(slots.loopMetrics, note(host.failed(metrics.error), 'note error-text'));
}
