import { trainCorrectionModel } from '../index';
import type { CorrectionStore } from '../store/corrections';
import type { ModelStore } from '../store/models';
import type { Categoriser } from './active-categoriser';

export interface TrainModelDeps {
  corrections: CorrectionStore;
  models: ModelStore;
  categoriser: () => Promise<Categoriser>;
}

/**
 * Trains the deployment's model from every stored correction and stores it, unless the stored model already includes
 * them all. The counter is read before the corrections, so the model includes at least the corrections it counts.
 */
export async function trainModel(deps: TrainModelDeps, now: Date): Promise<'trained' | 'current'> {
  const [changes, trainedFrom] = await Promise.all([deps.corrections.changes(), deps.models.changes()]);
  if (trainedFrom >= changes) return 'current';
  const [corrections, categoriser] = await Promise.all([deps.corrections.all(), deps.categoriser()]);
  const examples = corrections.flatMap(({ text, languageHint, correction }) =>
    text === undefined ? [] : [{ text, ...(languageHint === undefined ? {} : { languageHint }), correction }],
  );
  const model = trainCorrectionModel(examples, categoriser.taxonomy);
  return (await deps.models.put({ model, changes, trainedAt: now.toISOString() })) ? 'trained' : 'current';
}
