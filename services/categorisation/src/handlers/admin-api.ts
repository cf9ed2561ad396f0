import { decodeCursor, encodeCursor, httpRoutes, json, NotFoundError } from '@cxloop/lambda-kit';
import { adminApiEnvironment } from '../environment';
import { categorisationAdminRoutes } from '../routes';
import { correctCategorisation } from '../use-cases/correct-categorisation';
import { categorisationView, listCategorisations } from '../use-cases/list-categorisations';
import { getTaxonomy, listTaxonomyVersions, putTaxonomy } from '../use-cases/manage-taxonomy';
import { startRecategorisation } from '../use-cases/recategorise';
import { jobQueue, serviceDeps } from './deps';
import { categorisationErrors } from './http-errors';

const env = adminApiEnvironment.read();
// Not warmed at cold start like the consumer: most admin requests only read, and the regex engine and stemmers load
// with the first correction or taxonomy this function handles.
const deps = { ...serviceDeps(env), enqueue: jobQueue(env.JOB_QUEUE_URL) };

export const handler = httpRoutes(
  categorisationAdminRoutes,
  {
    'GET /v1/taxonomy': async () => json(200, await getTaxonomy(deps.taxonomies)),
    'PUT /v1/taxonomy': async ({ body, principal, now }) =>
      json(201, await putTaxonomy(deps.taxonomies, body, principal.id, now)),
    'GET /v1/taxonomy/versions': async ({ query }) => {
      const page = await listTaxonomyVersions(deps.taxonomies, query.limit, decodeCursor(query.cursor));
      return json(200, { items: page.items, nextCursor: encodeCursor(page.next) ?? null });
    },
    'GET /v1/taxonomy/versions/{version}': async ({ path }) =>
      json(200, await getTaxonomy(deps.taxonomies, path.version)),
    'POST /v1/taxonomy/recategorise': async ({ correlationId }) => {
      const categoriser = await deps.categoriser();
      const started = await startRecategorisation(deps.enqueue, correlationId);
      return json(202, { ...started, taxonomyVersion: categoriser.taxonomy.version });
    },
    'GET /v1/categorisations': async ({ query: { limit, cursor, ...filter } }) => {
      const page = await listCategorisations(deps.results, filter, limit, decodeCursor(cursor));
      return json(200, { items: page.items, nextCursor: encodeCursor(page.next) ?? null });
    },
    'GET /v1/feedback/{feedbackId}/categorisation': async ({ path: { feedbackId } }) => {
      const [stored, correction] = await Promise.all([deps.results.get(feedbackId), deps.corrections.get(feedbackId)]);
      if (!stored) throw new NotFoundError(`No categorisation of feedback ${feedbackId}`);
      return json(200, { ...categorisationView(stored), correction: correction?.correction ?? null });
    },
    'PUT /v1/feedback/{feedbackId}/categorisation': async ({ path, body, principal, now, causation }) =>
      json(
        200,
        await correctCategorisation(deps, {
          feedbackId: path.feedbackId,
          body,
          principal: principal.id,
          now,
          causation,
        }),
      ),
    'GET /v1/categorisation/corrections': async ({ query }) => {
      const page = await deps.corrections.page(query.limit, decodeCursor(query.cursor));
      return json(200, { items: page.corrections, nextCursor: encodeCursor(page.next) ?? null });
    },
  },
  { errors: categorisationErrors },
);
