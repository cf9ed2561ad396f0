import { FeedbackReceived } from '@cxloop/events';
import { documentClient, eventPublisher, requiredEnv, sqsEventConsumer } from '@cxloop/lambda-kit';
import { categorise, compileTaxonomy, defaultTaxonomy } from '../index';
import { resultStore } from '../store/results';
import { categoriseFeedback } from '../use-cases/categorise-feedback';

const taxonomy = compileTaxonomy(defaultTaxonomy);
const deps = {
  results: resultStore(documentClient(), requiredEnv('TABLE_NAME')),
  publish: eventPublisher(requiredEnv('EVENT_BUS_NAME')),
  categorise: (feedback: Parameters<typeof categorise>[0]) => categorise(feedback, taxonomy),
};

export const handler = sqsEventConsumer(FeedbackReceived, async (event) => {
  await categoriseFeedback(deps, event);
});
