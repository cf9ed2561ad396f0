import { logger, sqsJobConsumer } from '@cxloop/lambda-kit';
import { inboundSmsSchema } from '../domain/sms';
import { smsRepliesEnvironment } from '../environment';
import { handleSmsReply } from '../use-cases/sms-replies';
import { invitationStores, schedulesFromEnv } from './invitation-deps';

const env = smsRepliesEnvironment.read();
const deps = { ...invitationStores(env.TABLE_NAME), schedules: schedulesFromEnv(env) };

/**
 * Two-way SMS: AWS End User Messaging SMS → the SNS topic of the number's two-way channel → the replies queue (raw
 * message delivery, so each body is the inbound payload; the queue only accepts that topic, so no public endpoint
 * and no SNS signature to check) → this function. Logs the outcome, never the number or the text.
 */
export const handler = sqsJobConsumer(inboundSmsSchema, async (reply) => {
  const outcome = await handleSmsReply(deps, reply, new Date());
  logger.info('SMS reply', { inboundMessageId: reply.inboundMessageId, outcome });
});
