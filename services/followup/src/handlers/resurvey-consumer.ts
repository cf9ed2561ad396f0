import { CaseResolved } from '@cxloop/events';
import { logger, sqsEventConsumer } from '@cxloop/lambda-kit';
import { resurveyConsumerEnvironment } from '../environment';
import { resurvey } from '../use-cases/resurvey';
import { invitationDepsFromEnv } from './invitation-deps';

const env = resurveyConsumerEnvironment.read();
const deps = invitationDepsFromEnv(env);

export const handler = sqsEventConsumer(CaseResolved, async (event) => {
  const outcome = await resurvey(deps, event.data, new Date());
  logger.info('Re-survey', { caseId: event.data.caseId, outcome });
});
