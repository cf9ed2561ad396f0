import { logger, sqsJobConsumer, withLogContext } from '@cxloop/lambda-kit';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { invitationDueEnvironment } from '../environment';
import { outboundQueue } from '../outbound/enqueue';
import { deliverDueInvitation } from '../use-cases/invite-person';
import { invitationStores, surveyLinksFromEnv } from './invitation-deps';

const env = invitationDueEnvironment.read();
// No schedules here: this function is their target, and never creates or deletes one.
const deps = {
  ...invitationStores(env.TABLE_NAME),
  enqueue: outboundQueue(env.OUTBOUND_QUEUE_URL),
  surveyUrl: surveyLinksFromEnv(env),
};

/** What an invitation's one-time schedule passes (its Target Input). */
const dueInput = z.object({ invitationId: z.string().regex(/^inv_[0-9a-f]{32}$/) });
/**
 * A redriven dead letter: the schedule's input itself (Scheduler could not invoke the function), or Lambda's
 * on-failure invocation record, which carries it as `requestPayload`.
 */
const deadLetter = z.union([
  dueInput,
  z.object({ requestPayload: dueInput }).transform((record) => record.requestPayload),
]);

async function deliver(invitationId: string): Promise<void> {
  const outcome = await deliverDueInvitation(deps, invitationId, new Date());
  logger.info('Invitation due', { invitationId, outcome });
}

const redriven = sqsJobConsumer(deadLetter, ({ invitationId }) => deliver(invitationId));
const isSqsEvent = (event: unknown): event is SQSEvent =>
  typeof event === 'object' && event !== null && Array.isArray((event as { Records?: unknown }).Records);

/**
 * Invoked asynchronously by EventBridge Scheduler when a delayed invitation is due; a failure is retried by Lambda
 * (twice) and then goes to the on-failure destination, the schedules' dead-letter queue, where Scheduler also puts
 * invocations it could not make. `npm run redrive -- Invitations` moves those back to the retry queue, which this
 * function also consumes.
 */
export const handler = withLogContext(
  async (event: unknown, context: Context): Promise<SQSBatchResponse | undefined> => {
    if (isSqsEvent(event)) return redriven(event, context);
    await deliver(dueInput.parse(event).invitationId);
    return undefined;
  },
);
