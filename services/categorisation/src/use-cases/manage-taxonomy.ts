import { parseOrBadRequest } from '@cxloop/lambda-kit';
import type * as z from 'zod';
import { TaxonomyVersionConflictError, UnknownResourceError } from '../domain/errors';
import { compileTaxonomy, type taxonomyBodySchema, taxonomySchema } from '../domain/taxonomy';
import { DEFAULT_TAXONOMY_VERSION, type TaxonomyStore, type TaxonomyVersion } from '../store/taxonomies';

export function taxonomyView(stored: TaxonomyVersion, activeVersion: number) {
  return {
    version: stored.taxonomy.version,
    active: stored.taxonomy.version === activeVersion,
    ...(stored.taxonomy.version === DEFAULT_TAXONOMY_VERSION ? { builtIn: true } : {}),
    ...(stored.createdAt ? { createdAt: stored.createdAt } : {}),
    ...(stored.createdBy ? { createdBy: stored.createdBy } : {}),
    taxonomy: stored.taxonomy,
  };
}

export async function getTaxonomy(taxonomies: TaxonomyStore, version?: number) {
  const activeVersion = await taxonomies.activeVersion();
  const stored = await taxonomies.get(version ?? activeVersion);
  if (!stored) throw new UnknownResourceError(`Taxonomy version ${version} does not exist`);
  return taxonomyView(stored, activeVersion);
}

export async function listTaxonomyVersions(taxonomies: TaxonomyStore, limit: number, cursor?: Record<string, unknown>) {
  const [activeVersion, page] = await Promise.all([taxonomies.activeVersion(), taxonomies.list(limit, cursor)]);
  return {
    items: page.versions.map((stored) => {
      const { taxonomy, ...view } = taxonomyView(stored, activeVersion);
      return { ...view, topics: taxonomy.topics.map((topic) => topic.id) };
    }),
    next: page.next,
  };
}

/**
 * Stores the CX team's taxonomy as the next version and makes it active. Versions are never changed: a concurrent
 * edit that took the version first, or a `version` other than the next one, is a 409.
 */
export async function putTaxonomy(
  taxonomies: TaxonomyStore,
  body: z.output<typeof taxonomyBodySchema>,
  createdBy: string,
  now: Date,
) {
  const version = (await taxonomies.latestVersion()) + 1;
  if (body.version !== undefined && body.version !== version) {
    throw new TaxonomyVersionConflictError(
      `body.version: the next taxonomy version is ${version}, not ${body.version}`,
    );
  }
  const taxonomy = parseOrBadRequest(taxonomySchema, { ...body, version }, 'body');
  compileTaxonomy(taxonomy);
  if (!(await taxonomies.create(taxonomy, createdBy, now))) {
    throw new TaxonomyVersionConflictError(
      `Taxonomy version ${version} was stored by someone else meanwhile: reload and retry`,
    );
  }
  return taxonomyView({ taxonomy, createdAt: now.toISOString(), createdBy }, version);
}
