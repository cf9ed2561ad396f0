import { logger, sqsJobConsumer, withLogContext } from '@cxloop/lambda-kit';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { invitationDueEnvironment } from '../environment';
import { outboundQueue } from '../outbound/enqueue';
import { autopilotRunSchedules, invitationSchedules } from '../store/invitations';
import { type AutopilotDeps, deliverAutopilotRun } from '../use-cases/autopilot';
import { deliverDueInvitation } from '../use-cases/invite-person';
import { invitationStores, surveyLinksFromEnv } from './invitation-deps';

const env = invitationDueEnvironment.read();
const deps = {
  ...invitationStores(env.TABLE_NAME),
  enqueue: outboundQueue(env.OUTBOUND_QUEUE_URL),
  surveyUrl: surveyLinksFromEnv(env),
};
let schedulingDeps: AutopilotDeps | undefined;
/** An Autopilot run schedules (its invitation, when held back; the next run) with this very function as target. */
function autopilotDeps(context: Context): AutopilotDeps {
  const config = {
    groupName: env.SCHEDULE_GROUP_NAME,
    targetArn: context.invokedFunctionArn,
    roleArn: env.SCHEDULER_ROLE_ARN,
    deadLetterArn: env.SCHEDULER_DEAD_LETTER_ARN,
  };
  schedulingDeps ??= { ...deps, schedules: invitationSchedules(config), runs: autopilotRunSchedules(config) };
  return schedulingDeps;
}

/** What a one-time schedule passes (its Target Input): a delayed invitation, or an Autopilot membership's run. */
const dueInput = z.union([
  z.object({ invitationId: z.string().regex(/^inv_[0-9a-f]{32}$/) }),
  z.object({ membershipId: z.string().regex(/^apm_[0-9a-f]{32}$/), runAt: z.iso.datetime() }),
]);
type DueInput = z.output<typeof dueInput>;
/**
 * A redriven dead letter: the schedule's input itself (Scheduler could not invoke the function), or Lambda's
 * on-failure invocation record, which carries it as `requestPayload`.
 */
const deadLetter = z.union([
  dueInput,
  z.object({ requestPayload: dueInput }).transform((record) => record.requestPayload),
]);

async function deliver(input: DueInput, context: Context): Promise<void> {
  if ('invitationId' in input) {
    const outcome = await deliverDueInvitation(deps, input.invitationId, new Date());
    logger.info('Invitation due', { invitationId: input.invitationId, outcome });
    return;
  }
  const outcome = await deliverAutopilotRun(autopilotDeps(context), input.membershipId, input.runAt, new Date());
  logger.info('Autopilot run due', { membershipId: input.membershipId, outcome });
}

const isSqsEvent = (event: unknown): event is SQSEvent =>
  typeof event === 'object' && event !== null && Array.isArray((event as { Records?: unknown }).Records);

/**
 * Invoked asynchronously by EventBridge Scheduler when a delayed invitation or an Autopilot run is due; a failure
 * is retried by Lambda (twice) and then goes to the on-failure destination, the schedules' dead-letter queue, where
 * Scheduler also puts invocations it could not make. `npm run redrive -- Invitations` moves those back to the retry queue, which this
 * function also consumes.
 */
export const handler = withLogContext(
  async (event: unknown, context: Context): Promise<SQSBatchResponse | undefined> => {
    if (isSqsEvent(event)) return sqsJobConsumer(deadLetter, (input) => deliver(input, context))(event, context);
    await deliver(dueInput.parse(event), context);
    return undefined;
  },
);
