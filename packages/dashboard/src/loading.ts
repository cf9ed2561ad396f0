import { type ApiClient, ApiError, type KeyRole } from './api';
import { initialSurvey, LAST_SURVEY_KEY, NEWEST_ANSWER_PROBES } from './survey-choice';
import type { FeedbackPage, MetricsAnswer, Survey } from './types';
import { type MetricsRequest, metricsQuery } from './view-state';

/** Fulfilled value or the error, so that one failing request leaves the other sections standing. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
export const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

export const listSurveys = async (api: ApiClient, signal?: AbortSignal): Promise<Survey[]> => [
  ...(await api.get<{ items: Survey[] }>('v1/surveys?limit=100', signal)).items,
];

/** The admin key lists surveys; a read:metrics key is known to the authorizer (so 403, not 401) but may not. */
export async function keyAccess(api: ApiClient): Promise<{ role: KeyRole; surveys: Survey[] | null }> {
  try {
    return { role: 'admin', surveys: await listSurveys(api) };
  } catch (failure) {
    if (!(failure instanceof ApiError) || failure.status !== 403) throw failure;
    return { role: 'read', surveys: null };
  }
}

/** The survey shown last, else the one with the newest answer (one feedback item asked of each of the first few). */
export async function surveyToOpen(
  api: ApiClient,
  surveys: readonly Survey[],
  signal: AbortSignal,
): Promise<string | undefined> {
  const remembered = localStorage.getItem(LAST_SURVEY_KEY);
  if (remembered && surveys.some((survey) => survey.id === remembered)) return remembered;
  const newest = await Promise.all(
    surveys.slice(0, NEWEST_ANSWER_PROBES).map(async (survey) => {
      const page = await settle(
        api.get<FeedbackPage>(`v1/feedback?surveyId=${encodeURIComponent(survey.id)}&limit=1`, signal),
      );
      const at = page.ok ? page.value.items[0]?.occurredAt : undefined;
      return at ? ([[survey.id, at]] as const) : [];
    }),
  );
  return initialSurvey(surveys, remembered, new Map(newest.flat()));
}

export type MetricsVariant = Omit<MetricsRequest, 'surveyId' | 'range'>;

/** `GET /v1/metrics` for one survey and period, with the view's scale and filters unless a variant overrides them. */
export const metricsLoader =
  (api: ApiClient, signal: AbortSignal, view: MetricsRequest) =>
  (variant: MetricsVariant): Promise<Settled<MetricsAnswer>> =>
    settle(api.get<MetricsAnswer>(`v1/metrics?${metricsQuery({ ...view, ...variant })}`, signal));
