import type { PersonErasureRequested } from '@cxloop/events';
import type { PublishEvents, ReceivedEvent } from '@cxloop/lambda-kit';
import { reportErasure } from '@cxloop/privacy';
import type { AggregationStores } from '../store';

export interface ErasePersonDeps {
  erasePerson: AggregationStores['erasePerson'];
  publish: PublishEvents;
}

/**
 * Anonymises the person's feedback items (the histograms stay as they are) and reports PersonErased with the counts;
 * a redelivery anonymises nothing more and reports the same counts.
 */
export async function erasePerson(
  deps: ErasePersonDeps,
  event: ReceivedEvent<typeof PersonErasureRequested>,
  now: Date,
): Promise<Record<string, number>> {
  const { erasureId, identifiers } = event.data;
  const items = await deps.erasePerson(erasureId, identifiers, now);
  await reportErasure(deps.publish, 'aggregation', event, items, now);
  return items;
}
