import { FeedbackCategorised } from '@cxloop/events';
import { documentClient, requiredEnv, sqsEventConsumer } from '@cxloop/lambda-kit';
import { aggregateStore } from '../store/aggregates';
import { countFeedback } from '../use-cases/count-feedback';

const store = aggregateStore(documentClient(), requiredEnv('TABLE_NAME'));

export const handler = sqsEventConsumer(FeedbackCategorised, async (event) => {
  await countFeedback(store, event.data.feedback);
});
