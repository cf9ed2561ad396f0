import { FeedbackReceived } from '@cxloop/events';
import { sqsEventConsumer } from '@cxloop/lambda-kit';
import { warmCategoriser } from '../use-cases/active-categoriser';
import { categoriseFeedback } from '../use-cases/categorise-feedback';
import { serviceDeps } from './deps';

const deps = serviceDeps();
warmCategoriser();

export const handler = sqsEventConsumer(FeedbackReceived, async (event) => {
  await categoriseFeedback(deps, event);
});
