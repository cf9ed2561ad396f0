import { PersonErasureRequested } from '@cxloop/events';
import { documentClient, eventPublisher, logger, sqsEventConsumer } from '@cxloop/lambda-kit';
import { erasureConsumerEnvironment } from '../environment';
import { aggregationStores } from '../store';
import { erasePerson } from '../use-cases/erase-person';

const env = erasureConsumerEnvironment.read();
const deps = {
  ...aggregationStores(documentClient(), env.TABLE_NAME),
  publish: eventPublisher(env.EVENT_BUS_NAME),
};

export const handler = sqsEventConsumer(PersonErasureRequested, async (event) => {
  const items = await erasePerson(deps, event, new Date());
  logger.info('Person erased', { erasureId: event.data.erasureId, items });
});
