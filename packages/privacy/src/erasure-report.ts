import { PersonErased, type PersonErasureRequested } from '@cxloop/events';
import type { PublishEvents, ReceivedEvent } from '@cxloop/lambda-kit';

/**
 * A service's answer to an erasure request: its PersonErased with the counts, caused by the request. Published also
 * when nothing was found, so that the erasure can complete; a redelivered request answers again with the same counts.
 */
export async function reportErasure(
  publish: PublishEvents,
  service: keyof typeof PersonErased,
  request: ReceivedEvent<typeof PersonErasureRequested>,
  items: Record<string, number>,
  now: Date,
): Promise<void> {
  await publish([
    {
      contract: PersonErased[service],
      data: { erasureId: request.data.erasureId, service, items, erasedAt: now.toISOString() },
      causation: { correlationId: request.metadata.correlationId, causationId: request.metadata.eventId },
    },
  ]);
}
