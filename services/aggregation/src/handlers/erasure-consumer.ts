import { PersonErasureRequested } from '@cxloop/events';
import { documentClient, eventPublisher, logger, requiredEnv, sqsEventConsumer } from '@cxloop/lambda-kit';
import { aggregationStores } from '../store';
import { erasePerson } from '../use-cases/erase-person';

const deps = {
  ...aggregationStores(documentClient(), requiredEnv('TABLE_NAME')),
  publish: eventPublisher(requiredEnv('EVENT_BUS_NAME')),
};

export const handler = sqsEventConsumer(PersonErasureRequested, async (event) => {
  const items = await erasePerson(deps, event, new Date());
  logger.info('Person erased', { erasureId: event.data.erasureId, items });
});
