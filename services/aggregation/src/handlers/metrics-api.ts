import { decodeCursor, documentClient, encodeCursor, httpRoutes, json, NotFoundError } from '@cxloop/lambda-kit';
import { metricsApiEnvironment } from '../environment';
import { aggregationDelightedRoutes, aggregationReadRoutes } from '../routes';
import { aggregationStores } from '../store';
import { surveySettings } from '../use-cases/configure-survey';
import { listFeedback } from '../use-cases/list-feedback';
import { delightedMetrics, queryDrivers, queryMetrics } from '../use-cases/query-metrics';
import { rebuildProgress } from '../use-cases/rebuild';
import { aggregationErrors } from './http-errors';

const env = metricsApiEnvironment.read();
const stores = aggregationStores(documentClient(), env.TABLE_NAME);

const FILTER_PARAMETER = /^filter\[(.{1,64})\]$/;

/** `filter[channel]=web&filter[plan]=pro` → { channel: 'web', plan: 'pro' }. */
function filtersOf(parameters: Record<string, string | undefined> | undefined): Record<string, string> {
  const filter: Record<string, string> = {};
  for (const [name, value] of Object.entries(parameters ?? {})) {
    const dimension = FILTER_PARAMETER.exec(name)?.[1];
    if (dimension !== undefined && value !== undefined) filter[dimension] = value;
  }
  return filter;
}

export const handler = httpRoutes(
  [...aggregationReadRoutes, ...aggregationDelightedRoutes],
  {
    'GET /v1/metrics': async ({ event, query }) =>
      json(200, await queryMetrics(stores, { ...query, filter: filtersOf(event.queryStringParameters) })),

    'GET /v1/metrics/drivers': async ({ event, query }) =>
      json(200, await queryDrivers(stores, { ...query, filter: filtersOf(event.queryStringParameters) })),

    'GET /delighted/v1/metrics': async ({ query, principal, now }) =>
      json(200, await delightedMetrics(stores, { ...query, surveyId: principal.surveyId }, now)),

    'GET /v1/feedback': async ({ query: { cursor, ...query } }) => {
      const decoded = decodeCursor(cursor);
      const page = await listFeedback(stores, { ...query, ...(decoded ? { cursor: decoded } : {}) });
      return json(200, { timeZone: page.timeZone, items: page.items, nextCursor: encodeCursor(page.next) ?? null });
    },

    'GET /v1/aggregation/surveys/{surveyId}/config': async ({ path }) =>
      json(200, surveySettings(await stores.surveys.get(path.surveyId, { consistent: true }))),

    'GET /v1/aggregation/surveys/{surveyId}/rebuild': async ({ path }) => {
      const job = await stores.surveys.getRebuild(path.surveyId);
      if (!job) throw new NotFoundError(`Survey ${path.surveyId} was never rebuilt`);
      return json(200, rebuildProgress(job));
    },
  },
  { errors: aggregationErrors },
);
