import { documentClient, eventPublisher, logger, withLogContext } from '@cxloop/lambda-kit';
import * as z from 'zod';
import { segmentWatchEnvironment } from '../environment';
import { aggregationStores } from '../store';
import { watchSegments } from '../use-cases/watch-segments';

const env = segmentWatchEnvironment.read();
/** The input the schedule gives each tick (infra/lib/services/aggregation.ts). */
const tickSchema = z.object({ executionId: z.string().min(1), scheduledTime: z.iso.datetime() });

const deps = { ...aggregationStores(documentClient(), env.TABLE_NAME), publish: eventPublisher(env.EVENT_BUS_NAME) };

/**
 * Runs on the EventBridge Scheduler schedule: checks every survey's segments. A survey that fails does not stop the
 * others; the invocation then fails as a whole so that it shows in the function's errors and alarm (the next tick is
 * the retry).
 */
export const handler = withLogContext(async (input: unknown): Promise<void> => {
  const tick = tickSchema.parse(input);
  logger.appendKeys({ correlationId: tick.executionId, scheduledTime: tick.scheduledTime });
  const causation = { correlationId: tick.executionId, causationId: tick.executionId };
  const outcome = await watchSegments(deps, new Date(), causation);
  for (const { surveyId, error } of outcome.failed) logger.error('Segment watch failed', { surveyId, error });
  logger.info('Segments watched', { surveys: outcome.surveys, tested: outcome.tested, falling: outcome.falling });
  if (outcome.failed.length > 0) throw new Error(`Segment watch failed for ${outcome.failed.length} survey(s)`);
});
