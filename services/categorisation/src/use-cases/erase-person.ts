import type { PersonErasureRequested } from '@cxloop/events';
import type { PublishEvents, ReceivedEvent } from '@cxloop/lambda-kit';
import { reportErasure } from '@cxloop/privacy';
import type { CategorisationStores } from '../store';
import { type TrainModelDeps, trainModel } from './train-model';

export interface ErasePersonDeps extends TrainModelDeps {
  erasePerson: CategorisationStores['erasePerson'];
  publish: PublishEvents;
}

/**
 * Erases the person's categorisation results and corrections, then trains the model again without their corrections
 * (it learned their words, and remembers each corrected text by a hash of it), and only then reports PersonErased
 * with the counts. A redelivery erases nothing more, finds the model current and reports the same counts.
 */
export async function erasePerson(
  deps: ErasePersonDeps,
  event: ReceivedEvent<typeof PersonErasureRequested>,
  now: Date,
): Promise<Record<string, number>> {
  const { erasureId, identifiers } = event.data;
  const items = await deps.erasePerson(erasureId, identifiers, now);
  await trainModel(deps, now);
  await reportErasure(deps.publish, 'categorisation', event, items, now);
  return items;
}
