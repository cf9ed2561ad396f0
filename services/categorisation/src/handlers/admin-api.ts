import { intentLabels, sentimentLabels } from '@cxloop/events';
import {
  decodeCursor,
  encodeCursor,
  httpRouter,
  json,
  NotFoundError,
  parseBody,
  parsePath,
  parseQuery,
  type RouteHandler,
  requiredEnv,
  requirePrincipal,
} from '@cxloop/lambda-kit';
import * as z from 'zod';
import type { CategorisationAdminRoute } from '../routes';
import { warmCategoriser } from '../use-cases/active-categoriser';
import { correctCategorisation, correctionBodySchema } from '../use-cases/correct-categorisation';
import { categorisationView, listCategorisations } from '../use-cases/list-categorisations';
import { getTaxonomy, listTaxonomyVersions, putTaxonomy, taxonomyBodySchema } from '../use-cases/manage-taxonomy';
import { startRecategorisation } from '../use-cases/recategorise';
import { jobQueue, serviceDeps } from './deps';

const deps = { ...serviceDeps(), enqueue: jobQueue(requiredEnv('JOB_QUEUE_URL')) };
warmCategoriser();

const topicId = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a topic id');
const feedbackPath = z.object({ feedbackId: z.string().min(1).max(200) });
const versionPath = z.object({ version: z.coerce.number().int().positive() });
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
});

const dayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const DAY_MS = 86_400_000;
/** A stored taxonomy version is one DynamoDB item (at most 400 KB with its attributes). */
const MAX_TAXONOMY_BYTES = 350 * 1024;
const categorisationsQuery = pageQuery
  .extend({
    topic: topicId.optional(),
    sentiment: z.enum(sentimentLabels).optional(),
    intent: z.enum(intentLabels).optional(),
    /** A day (UTC) or an instant; the day of `to` is included, an instant `to` is not. */
    from: dayOrInstant.optional(),
    to: dayOrInstant.optional(),
  })
  .transform(({ from, to, ...query }) => ({
    ...query,
    ...(from ? { occurredFrom: new Date(from) } : {}),
    ...(to
      ? { occurredBefore: new Date(new Date(to).getTime() + (z.iso.date().safeParse(to).success ? DAY_MS : 0)) }
      : {}),
  }))
  .refine((query) => !query.occurredFrom || !query.occurredBefore || query.occurredFrom < query.occurredBefore, {
    message: 'must be after from',
    path: ['to'],
  });

const routes: Record<CategorisationAdminRoute, RouteHandler> = {
  'GET /v1/taxonomy': async ({ event }) => {
    requirePrincipal(event, 'admin');
    return json(200, await getTaxonomy(deps.taxonomies));
  },
  'PUT /v1/taxonomy': async ({ event, now }) => {
    const principal = requirePrincipal(event, 'admin');
    const body = parseBody(event, taxonomyBodySchema, MAX_TAXONOMY_BYTES);
    return json(201, await putTaxonomy(deps.taxonomies, body, principal.id, now));
  },
  'GET /v1/taxonomy/versions': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const query = parseQuery(event, pageQuery);
    const page = await listTaxonomyVersions(deps.taxonomies, query.limit, decodeCursor(query.cursor));
    return json(200, { items: page.items, nextCursor: encodeCursor(page.next) ?? null });
  },
  'GET /v1/taxonomy/versions/{version}': async ({ event }) => {
    requirePrincipal(event, 'admin');
    return json(200, await getTaxonomy(deps.taxonomies, parsePath(event, versionPath).version));
  },
  'POST /v1/taxonomy/recategorise': async ({ event, correlationId }) => {
    requirePrincipal(event, 'admin');
    const categoriser = await deps.categoriser();
    const started = await startRecategorisation(deps.enqueue, correlationId);
    return json(202, { ...started, taxonomyVersion: categoriser.taxonomy.version });
  },
  'GET /v1/categorisations': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const { limit, cursor, ...filter } = parseQuery(event, categorisationsQuery);
    const page = await listCategorisations(deps.results, filter, limit, decodeCursor(cursor));
    return json(200, { items: page.items, nextCursor: encodeCursor(page.next) ?? null });
  },
  'GET /v1/feedback/{feedbackId}/categorisation': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const { feedbackId } = parsePath(event, feedbackPath);
    const [stored, correction] = await Promise.all([deps.results.get(feedbackId), deps.corrections.get(feedbackId)]);
    if (!stored) throw new NotFoundError(`No categorisation of feedback ${feedbackId}`);
    return json(200, { ...categorisationView(stored), correction: correction?.correction ?? null });
  },
  'PUT /v1/feedback/{feedbackId}/categorisation': async ({ event, now, correlationId, requestId }) => {
    const principal = requirePrincipal(event, 'admin');
    const { feedbackId } = parsePath(event, feedbackPath);
    const body = parseBody(event, correctionBodySchema);
    const result = await correctCategorisation(deps, {
      feedbackId,
      body,
      principal: principal.id,
      now,
      causation: { correlationId, causationId: requestId },
    });
    return json(200, result);
  },
  'GET /v1/categorisation/corrections': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const query = parseQuery(event, pageQuery);
    const page = await deps.corrections.page(query.limit, decodeCursor(query.cursor));
    return json(200, { items: page.corrections, nextCursor: encodeCursor(page.next) ?? null });
  },
};

export const handler = httpRouter(routes);
