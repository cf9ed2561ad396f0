import type { Categorisation, Feedback } from '@cxloop/events';
import {
  type CompiledTaxonomy,
  type Correction,
  type CorrectionModel,
  categorise,
  compileTaxonomy,
  defaultTaxonomy,
} from '../index';
import type { StoredCorrection } from '../store/corrections';
import type { ModelStore } from '../store/models';
import type { TaxonomyStore } from '../store/taxonomies';

/** The categoriser as this deployment has configured it: its active taxonomy and its model trained from corrections. */
export interface Categoriser {
  readonly taxonomy: CompiledTaxonomy;
  readonly model?: CorrectionModel;
  readonly modelChanges: number;
  categorise(feedback: Feedback, correction?: StoredCorrection): Categorisation;
}

/**
 * A person's correction applies to the text they corrected: a later revision with another comment is categorised
 * afresh (the model still carries what the correction taught).
 */
export function correctionFor(feedback: Feedback, stored: StoredCorrection | undefined): Correction | undefined {
  return stored && stored.text === feedback.text ? stored.correction : undefined;
}

export function categoriserOf(taxonomy: CompiledTaxonomy, model?: CorrectionModel, modelChanges = 0): Categoriser {
  return {
    taxonomy,
    ...(model ? { model } : {}),
    modelChanges,
    categorise(feedback, stored) {
      const correction = correctionFor(feedback, stored);
      return categorise(feedback, taxonomy, { ...(model ? { model } : {}), ...(correction ? { correction } : {}) });
    },
  };
}

/** Compiles the default taxonomy and categorises one text per language, so that the first real one is fast. */
export function warmCategoriser(): void {
  const taxonomy = compileTaxonomy(defaultTaxonomy);
  categorise({ text: 'Доставка опоздала на три дня, поддержка не отвечает.', languageHint: 'ru' }, taxonomy);
  categorise({ text: 'The app keeps crashing and nobody answers, I want a refund.', languageHint: 'en' }, taxonomy);
}

/** How long a warm function keeps using the active taxonomy and model it read before checking for newer ones. */
export const ACTIVE_CATEGORISER_TTL_MS = 5_000;

/**
 * The active categoriser, read from the table at most every `ttlMs`: a check costs two small reads; a taxonomy is
 * fetched and compiled, and a model fetched, only when its version changed.
 */
export function activeCategoriser(
  stores: { taxonomies: TaxonomyStore; models: ModelStore },
  options: { ttlMs?: number; now?: () => number } = {},
): () => Promise<Categoriser> {
  const ttlMs = options.ttlMs ?? ACTIVE_CATEGORISER_TTL_MS;
  const now = options.now ?? Date.now;
  let current: Categoriser | undefined;
  let checked: { at: number; categoriser: Promise<Categoriser> } | undefined;

  async function refresh(): Promise<Categoriser> {
    const [version, modelChanges] = await Promise.all([stores.taxonomies.activeVersion(), stores.models.changes()]);
    let taxonomy = current?.taxonomy;
    if (taxonomy?.version !== version) {
      const stored = await stores.taxonomies.get(version);
      if (!stored) throw new Error(`The active taxonomy version ${version} is not stored`);
      taxonomy = compileTaxonomy(stored.taxonomy);
    }
    let model = current?.model;
    if (modelChanges !== (current?.modelChanges ?? 0)) model = (await stores.models.get())?.model;
    current = categoriserOf(taxonomy, model, modelChanges);
    return current;
  }

  return () => {
    const at = now();
    if (!checked || at - checked.at >= ttlMs) {
      const categoriser = refresh();
      checked = { at, categoriser };
      // A failed check is tried again by the next call instead of failing every call until the TTL ends.
      categoriser.catch(() => {
        if (checked?.categoriser === categoriser) checked = undefined;
      });
    }
    return checked.categoriser;
  };
}
