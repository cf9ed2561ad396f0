import { FeedbackCategorised } from '@cxloop/events';
import {
  BusinessMetrics,
  cached,
  countMetric,
  documentClient,
  eventPublisher,
  logger,
  sqsEventConsumer,
} from '@cxloop/lambda-kit';
import { feedbackConsumerEnvironment } from '../environment';
import { outboundQueue } from '../outbound/enqueue';
import { schedulerSlaTimers } from '../scheduling/sla-timers';
import { caseStore } from '../store/cases';
import { configStore } from '../store/config';
import { outreachStore } from '../store/outreach';
import { peopleStore } from '../store/people';
import { currentRetention } from '../store/privacy';
import { ruleStore } from '../store/rules';
import { followUpFeedback } from '../use-cases/follow-up-feedback';
import { recordAnswer } from '../use-cases/record-answer';
import { recordOutreachCandidate } from '../use-cases/segment-outreach';

const env = feedbackConsumerEnvironment.read();
const SETTINGS_TTL_MS = 10_000;
const db = documentClient();
const tableName = env.TABLE_NAME;
const rules = ruleStore(db, tableName);
const configs = configStore(db, tableName);
const retention = currentRetention(db, tableName);
const people = peopleStore(db, tableName, retention);
const outreach = outreachStore(db, tableName, retention);

const deps = {
  cases: caseStore(db, tableName, retention),
  publish: eventPublisher(env.EVENT_BUS_NAME),
  enqueue: outboundQueue(env.OUTBOUND_QUEUE_URL),
  timers: schedulerSlaTimers({
    groupName: env.SLA_SCHEDULE_GROUP,
    targetArn: env.SLA_TIMER_ARN,
    roleArn: env.SLA_SCHEDULER_ROLE_ARN,
    deadLetterArn: env.SLA_DEAD_LETTER_ARN,
  }),
  publicApiUrl: env.PUBLIC_API_URL,
  ruleSet: cached(() => rules.current(), SETTINGS_TTL_MS),
  config: cached(async () => (await configs.get()).config, SETTINGS_TTL_MS),
  phoneOf: async (personKey: string) => (await people.get(personKey))?.phone,
};

export const handler = sqsEventConsumer(
  FeedbackCategorised,
  async (event) => {
    await recordAnswer(people, event.data.feedback);
    await recordOutreachCandidate(outreach, event.data);
    const result = await followUpFeedback(deps, event, new Date());
    if (result.outcome === 'handled' && result.case.outcome === 'opened') countMetric(BusinessMetrics.casesOpened);
    logger.info('Followed up feedback', result);
  },
  { metrics: [BusinessMetrics.casesOpened] },
);
