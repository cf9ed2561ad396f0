import { describe, expect, it, vi } from 'vitest';
import { defaultTaxonomy, type Taxonomy } from '../src/index';
import type { ModelStore } from '../src/store/models';
import type { TaxonomyStore } from '../src/store/taxonomies';
import { activeCategoriser, correctionFor } from '../src/use-cases/active-categoriser';
import { feedback } from './support/feedback';

function fakeStores() {
  const versions = new Map<number, Taxonomy>([[1, defaultTaxonomy]]);
  let active = 1;
  const taxonomies = {
    activeVersion: vi.fn(async () => active),
    get: vi.fn(async (version: number) => {
      const taxonomy = versions.get(version);
      return taxonomy ? { taxonomy } : undefined;
    }),
  };
  const models = { changes: vi.fn(async () => 0), get: vi.fn(async () => undefined) };
  return {
    stores: { taxonomies: taxonomies as unknown as TaxonomyStore, models: models as unknown as ModelStore },
    taxonomies,
    models,
    activate(taxonomy: Taxonomy) {
      versions.set(taxonomy.version, taxonomy);
      active = taxonomy.version;
    },
  };
}

describe('activeCategoriser', () => {
  it('checks for a new taxonomy once per TTL and compiles each version once', async () => {
    const fake = fakeStores();
    let clock = 0;
    const categoriser = activeCategoriser(fake.stores, { ttlMs: 5_000, now: () => clock });

    const first = await categoriser();
    expect(first.taxonomy.version).toBe(1);
    fake.activate({ ...defaultTaxonomy, version: 2 });
    clock = 4_999;
    expect(await categoriser()).toBe(first);
    expect(fake.taxonomies.activeVersion).toHaveBeenCalledTimes(1);

    clock = 5_000;
    const second = await categoriser();
    expect(second.taxonomy.version).toBe(2);
    clock = 10_000;
    const third = await categoriser();
    expect(third.taxonomy).toBe(second.taxonomy);
    expect(fake.taxonomies.get).toHaveBeenCalledTimes(2);
    expect(fake.models.get).not.toHaveBeenCalled();
  });

  it('tries again on the next call after a failed check', async () => {
    const fake = fakeStores();
    fake.taxonomies.activeVersion.mockRejectedValueOnce(new Error('throttled'));
    const categoriser = activeCategoriser(fake.stores, { ttlMs: 60_000, now: () => 0 });
    await expect(categoriser()).rejects.toThrow('throttled');
    expect((await categoriser()).taxonomy.version).toBe(1);
  });
});

describe('correctionFor', () => {
  it('applies a correction only to the text it corrected', () => {
    const item = feedback();
    const stored = {
      correction: { feedbackId: item.feedbackId, sentiment: 'positive' as const },
      revision: 1,
      text: item.text!,
    };
    expect(correctionFor(item, stored)).toBe(stored.correction);
    expect(correctionFor({ ...item, revision: 2, text: 'Другой текст' }, stored)).toBeUndefined();
    expect(correctionFor(item, undefined)).toBeUndefined();
  });
});
