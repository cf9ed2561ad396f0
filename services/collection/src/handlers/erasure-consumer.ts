import { PersonErasureRequested } from '@cxloop/events';
import { documentClient, eventPublisher, logger, sqsEventConsumer } from '@cxloop/lambda-kit';
import { erasureConsumerEnvironment } from '../environment';
import { externalFeedbackStore } from '../store/external-feedback';
import { respondentStore } from '../store/respondents';
import { responseStore } from '../store/responses';
import { erasePerson } from '../use-cases/erase-person';

const env = erasureConsumerEnvironment.read();
const tableName = env.TABLE_NAME;
const db = documentClient();
const deps = {
  db,
  tableName,
  responses: responseStore(db, tableName),
  respondents: respondentStore(db, tableName),
  feedback: externalFeedbackStore(db, tableName),
  publish: eventPublisher(env.EVENT_BUS_NAME),
};

export const handler = sqsEventConsumer(PersonErasureRequested, async (event) => {
  const items = await erasePerson(deps, event, new Date());
  logger.info('Person erased', { erasureId: event.data.erasureId, items });
});
