import { CaseResolved } from '@cxloop/events';
import { logger, sqsEventConsumer } from '@cxloop/lambda-kit';
import { resurvey } from '../use-cases/resurvey';
import { invitationDepsFromEnv } from './invitation-deps';

const deps = invitationDepsFromEnv();

export const handler = sqsEventConsumer(CaseResolved, async (event) => {
  const outcome = await resurvey(deps, event.data, new Date());
  logger.info('Re-survey', { caseId: event.data.caseId, outcome });
});
