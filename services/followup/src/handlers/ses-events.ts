import { logger, sqsJobConsumer } from '@cxloop/lambda-kit';
import * as z from 'zod';
import { sesEventsEnvironment } from '../environment';
import { recordSesFeedback } from '../use-cases/ses-feedback';
import { invitationStores } from './invitation-deps';

const env = sesEventsEnvironment.read();
const { suppressions } = invitationStores(env.TABLE_NAME);
/**
 * SES bounces and complaints (rule on the default bus → SQS → here): each affected address is suppressed. The body is
 * parsed by `recordSesFeedback`, which reads only what it needs of SES's event.
 */
export const handler = sqsJobConsumer(z.unknown(), async (sesEvent) => {
  const recorded = await recordSesFeedback({ suppressions }, sesEvent, new Date());
  // Counts and reasons only: the addresses are personal data.
  logger.info('SES feedback', { suppressed: recorded.length, reasons: [...new Set(recorded.map((s) => s.reason))] });
});
