import { FeedbackCategorised } from '@cxloop/events';
import { documentClient, eventPublisher, requiredEnv, sqsEventConsumer } from '@cxloop/lambda-kit';
import { caseStore } from '../store/cases';
import { followUpFeedback } from '../use-cases/follow-up-feedback';

const deps = {
  cases: caseStore(documentClient(), requiredEnv('TABLE_NAME')),
  publish: eventPublisher(requiredEnv('EVENT_BUS_NAME')),
};

export const handler = sqsEventConsumer(FeedbackCategorised, (event) => followUpFeedback(deps, event, new Date()));
