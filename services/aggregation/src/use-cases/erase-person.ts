import { PersonErased, type PersonErasureRequested } from '@cxloop/events';
import type { PublishEvents, ReceivedEvent } from '@cxloop/lambda-kit';
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
  await deps.publish([
    {
      contract: PersonErased.aggregation,
      data: { erasureId, service: 'aggregation', items, erasedAt: now.toISOString() },
      causation: { correlationId: event.metadata.correlationId, causationId: event.metadata.eventId },
    },
  ]);
  return items;
}
