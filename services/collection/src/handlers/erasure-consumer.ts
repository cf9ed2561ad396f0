import { PersonErasureRequested } from '@cxloop/events';
import { documentClient, eventPublisher, logger, requiredEnv, sqsEventConsumer } from '@cxloop/lambda-kit';
import { externalFeedbackStore } from '../store/external-feedback';
import { respondentStore } from '../store/respondents';
import { responseStore } from '../store/responses';
import { erasePerson } from '../use-cases/erase-person';

const tableName = requiredEnv('TABLE_NAME');
const db = documentClient();
const deps = {
  db,
  tableName,
  responses: responseStore(db, tableName),
  respondents: respondentStore(db, tableName),
  feedback: externalFeedbackStore(db, tableName),
  publish: eventPublisher(requiredEnv('EVENT_BUS_NAME')),
};

export const handler = sqsEventConsumer(PersonErasureRequested, async (event) => {
  const items = await erasePerson(deps, event, new Date());
  logger.info('Person erased', { erasureId: event.data.erasureId, items });
});
