import { PersonErasureRequested } from '@cxloop/events';
import { logger, sqsEventConsumer } from '@cxloop/lambda-kit';
import { erasureConsumerEnvironment } from '../environment';
import { erasePerson } from '../use-cases/erase-person';
import { serviceDeps } from './deps';

const deps = serviceDeps(erasureConsumerEnvironment.read());

export const handler = sqsEventConsumer(PersonErasureRequested, async (event) => {
  const items = await erasePerson(deps, event, new Date());
  logger.info('Person erased', { erasureId: event.data.erasureId, items });
});
