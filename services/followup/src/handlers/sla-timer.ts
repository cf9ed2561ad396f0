import { documentClient, eventPublisher, logger, withLogContext } from '@cxloop/lambda-kit';
import type { Context } from 'aws-lambda';
import { slaTimerEnvironment } from '../environment';
import { outboundQueue } from '../outbound/enqueue';
import { schedulerSlaTimers, slaTimerInputSchema } from '../scheduling/sla-timers';
import { caseStore } from '../store/cases';
import { configStore } from '../store/config';
import { currentRetention } from '../store/privacy';
import { escalateCase } from '../use-cases/escalate-case';

const env = slaTimerEnvironment.read();
const db = documentClient();
const tableName = env.TABLE_NAME;
const configs = configStore(db, tableName);
const cases = caseStore(db, tableName, currentRetention(db, tableName));
const publish = eventPublisher(env.EVENT_BUS_NAME);
const enqueue = outboundQueue(env.OUTBOUND_QUEUE_URL);
const publicApiUrl = env.PUBLIC_API_URL;
const timerSettings = {
  groupName: env.SLA_SCHEDULE_GROUP,
  roleArn: env.SLA_SCHEDULER_ROLE_ARN,
  deadLetterArn: env.SLA_DEAD_LETTER_ARN,
};

/**
 * Invoked asynchronously by an SLA schedule (EventBridge Scheduler) with `{ caseId, dueAt, level, period }`. A
 * failure is retried by Lambda and then lands in the on-failure destination. The next step's schedule targets this
 * same function, whose ARN comes from the invocation itself (an environment variable could not name it).
 */
async function handleTimer(event: unknown, context: Context) {
  const timer = slaTimerInputSchema.parse(event);
  const timers = schedulerSlaTimers({ ...timerSettings, targetArn: context.invokedFunctionArn });
  const result = await escalateCase(
    { cases, publish, enqueue, timers, publicApiUrl, config: async () => (await configs.get()).config },
    timer,
    new Date(),
  );
  logger.info('SLA timer', { caseId: timer.caseId, timerLevel: timer.level, ...result });
  return result;
}

export const handler = withLogContext(handleTimer);
