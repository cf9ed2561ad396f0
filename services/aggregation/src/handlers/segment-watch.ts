import { documentClient, eventPublisher, logger, withLogContext } from '@cxloop/lambda-kit';
import type { EventBridgeEvent } from 'aws-lambda';
import { segmentWatchEnvironment } from '../environment';
import { aggregationStores } from '../store';
import { watchSegments } from '../use-cases/watch-segments';

const env = segmentWatchEnvironment.read();
const deps = { ...aggregationStores(documentClient(), env.TABLE_NAME), publish: eventPublisher(env.EVENT_BUS_NAME) };

/**
 * Runs on the schedule rule: checks every survey's segments. A survey that fails does not stop the others; the
 * invocation then fails as a whole so that it shows in the function's errors and alarm (the next tick is the retry).
 */
export const handler = withLogContext(async (event: EventBridgeEvent<'Scheduled Event', unknown>): Promise<void> => {
  logger.appendKeys({ correlationId: event.id });
  const outcome = await watchSegments(deps, new Date(), { correlationId: event.id, causationId: event.id });
  for (const { surveyId, error } of outcome.failed) logger.error('Segment watch failed', { surveyId, error });
  logger.info('Segments watched', { surveys: outcome.surveys, tested: outcome.tested, falling: outcome.falling });
  if (outcome.failed.length > 0) throw new Error(`Segment watch failed for ${outcome.failed.length} survey(s)`);
});
