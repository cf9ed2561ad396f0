import { PersonErased, PersonErasureRequested, RetentionPolicyChanged } from '@cxloop/events';
import { documentClient, eventPublisher, eventRoute, logger, sqsEventsConsumer } from '@cxloop/lambda-kit';
import { erasureStatus } from '../domain/erasure';
import { privacyConsumerEnvironment } from '../environment';
import { caseStore } from '../store/cases';
import { messageStore } from '../store/messages';
import { outreachStore } from '../store/outreach';
import { currentRetention, erasureStore, retentionStore } from '../store/privacy';
import { eraseFollowUpData, recordErasureReport } from '../use-cases/erase-person';
import { autopilotRunsFromEnv, invitationStores, schedulesFromEnv } from './invitation-deps';

const env = privacyConsumerEnvironment.read();
const db = documentClient();
const tableName = env.TABLE_NAME;
const { people, invitations, suppressions, memberships, surveyPeople } = invitationStores(env.TABLE_NAME);
const erasures = erasureStore(db, tableName);
const eraseDeps = {
  db,
  tableName,
  people,
  invitations,
  suppressions,
  cases: caseStore(db, tableName, currentRetention(db, tableName)),
  messages: messageStore(db, tableName, currentRetention(db, tableName)),
  memberships,
  surveyPeople,
  outreach: outreachStore(db, tableName),
  schedules: schedulesFromEnv(env),
  runs: autopilotRunsFromEnv(env),
  publish: eventPublisher(env.EVENT_BUS_NAME),
};
const retentionCopy = retentionStore(db, tableName);

/**
 * Follow-up's privacy work, from one queue: its own part of an erasure, every service's report of theirs (the
 * erasure record completes with the fourth), and its copy of the retention policy.
 */
export const handler = sqsEventsConsumer([
  eventRoute(PersonErasureRequested, async (event) => {
    const items = await eraseFollowUpData(eraseDeps, event, new Date());
    logger.info('Erased follow-up data', { erasureId: event.data.erasureId, items });
  }),
  ...Object.values(PersonErased).map((contract) =>
    eventRoute(contract, async (event) => {
      const record = await recordErasureReport({ erasures }, event.data);
      logger.info('Erasure report', {
        erasureId: event.data.erasureId,
        service: event.data.service,
        status: record ? erasureStatus(record) : 'unknown',
      });
    }),
  ),
  eventRoute(RetentionPolicyChanged, async (event) => {
    const applied = await retentionCopy.putIfNewer(event.data.policy, event.data.version);
    logger.info('Retention policy', { version: event.data.version, applied });
  }),
]);
