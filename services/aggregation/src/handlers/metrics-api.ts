import {
  documentClient,
  httpRouter,
  json,
  parseQuery,
  type RouteHandler,
  requiredEnv,
  requirePrincipal,
} from '@cxloop/lambda-kit';
import * as z from 'zod';
import { ALL_RESPONSES } from '../domain/cells';
import { metricsFor } from '../domain/metrics';
import type { AggregationAdminRoute } from '../routes';
import { aggregateStore } from '../store/aggregates';

const store = aggregateStore(documentClient(), requiredEnv('TABLE_NAME'));

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const metricsQuery = z.object({
  surveyId: z.string().min(1).max(100),
  from: day.default('0000-01-01'),
  to: day.default('9999-12-31'),
});

const routes: Record<AggregationAdminRoute, RouteHandler> = {
  'GET /v1/metrics': async ({ event }) => {
    requirePrincipal(event, 'read:metrics');
    const query = parseQuery(event, metricsQuery);
    const days = await store.dayHistograms(query.surveyId, ALL_RESPONSES, query.from, query.to);
    const scale = days[0]?.scale ?? 'nps';
    const histogram = store.merge(
      scale,
      days.map((entry) => entry.histogram),
    );
    const metrics = metricsFor(scale, histogram);
    return json(200, {
      surveyId: query.surveyId,
      from: query.from,
      to: query.to,
      responses: metrics.n,
      histogram,
      ...metrics,
    });
  },
};

export const handler = httpRouter(routes);
