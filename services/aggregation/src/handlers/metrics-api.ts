import {
  decodeCursor,
  documentClient,
  encodeCursor,
  httpRouter,
  json,
  NotFoundError,
  parsePath,
  parseQuery,
  type RouteHandler,
  requiredEnv,
  requirePrincipal,
} from '@cxloop/lambda-kit';
import * as z from 'zod';
import { bucketIntervals, delightedMetricsQuerySchema, scoreScales } from '../domain/metrics';
import type { AggregationReadRoute } from '../routes';
import { aggregationStores } from '../store';
import { surveySettings } from '../use-cases/configure-survey';
import { listFeedback } from '../use-cases/list-feedback';
import { delightedMetrics, queryMetrics } from '../use-cases/query-metrics';
import { rebuildProgress } from '../use-cases/rebuild';
import { withServiceErrors } from './http-errors';

const stores = aggregationStores(documentClient(), requiredEnv('TABLE_NAME'));

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const surveyId = z.string().min(1).max(100);

const metricsQuery = z.object({
  surveyId,
  from: day.optional(),
  to: day.optional(),
  interval: z.enum(bucketIntervals).optional(),
  groupBy: z.string().min(1).max(64).optional(),
  scale: z.enum(scoreScales).optional(),
  confidence: z.coerce.number().min(0.5).max(0.999).default(0.95),
});

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

const feedbackQuery = z
  .object({
    surveyId: surveyId.optional(),
    from: day.optional(),
    to: day.optional(),
    topic: z.string().min(1).max(200).optional(),
    sentiment: z.enum(['positive', 'neutral', 'negative']).optional(),
    intent: z.string().min(1).max(200).optional(),
    minScore: z.coerce.number().optional(),
    maxScore: z.coerce.number().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().optional(),
  })
  .refine((query) => query.minScore === undefined || query.maxScore === undefined || query.minScore <= query.maxScore, {
    message: 'must not be below minScore',
    path: ['maxScore'],
  });

const surveyPath = z.object({ surveyId });

const routes: Record<AggregationReadRoute, RouteHandler> = {
  'GET /v1/metrics': withServiceErrors(async ({ event }) => {
    requirePrincipal(event, 'read:metrics');
    const query = parseQuery(event, metricsQuery);
    return json(200, await queryMetrics(stores, { ...query, filter: filtersOf(event.queryStringParameters) }));
  }),

  'GET /v1/metrics.json': withServiceErrors(async ({ event, now }) => {
    requirePrincipal(event, 'read:metrics');
    const query = parseQuery(event, delightedMetricsQuerySchema.and(z.object({ surveyId })));
    return json(200, await delightedMetrics(stores, query, now));
  }),

  'GET /v1/feedback': withServiceErrors(async ({ event }) => {
    requirePrincipal(event, 'admin');
    const { cursor, ...query } = parseQuery(event, feedbackQuery);
    const decoded = decodeCursor(cursor);
    const page = await listFeedback(stores, { ...query, ...(decoded ? { cursor: decoded } : {}) });
    return json(200, { timeZone: page.timeZone, items: page.items, nextCursor: encodeCursor(page.next) ?? null });
  }),

  'GET /v1/aggregation/surveys/{surveyId}/config': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const path = parsePath(event, surveyPath);
    return json(200, surveySettings(await stores.surveys.get(path.surveyId, { consistent: true })));
  },

  'GET /v1/aggregation/surveys/{surveyId}/rebuild': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const path = parsePath(event, surveyPath);
    const job = await stores.surveys.getRebuild(path.surveyId);
    if (!job) throw new NotFoundError(`Survey ${path.surveyId} was never rebuilt`);
    return json(200, rebuildProgress(job));
  },
};

export const handler = httpRouter(routes);
