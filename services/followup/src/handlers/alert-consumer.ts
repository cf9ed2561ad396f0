import { MetricAlertRaised } from '@cxloop/events';
import {
  BusinessMetrics,
  cached,
  countMetric,
  documentClient,
  eventPublisher,
  logger,
  sqsEventConsumer,
} from '@cxloop/lambda-kit';
import { alertConsumerEnvironment } from '../environment';
import { outboundQueue } from '../outbound/enqueue';
import { schedulerSlaTimers } from '../scheduling/sla-timers';
import { caseStore } from '../store/cases';
import { configStore } from '../store/config';
import { outreachStore } from '../store/outreach';
import { currentRetention } from '../store/privacy';
import { suppressionStore } from '../store/suppressions';
import { notifyMetricAlert } from '../use-cases/notify-metric-alert';
import { openSegmentOutreach } from '../use-cases/segment-outreach';

const env = alertConsumerEnvironment.read();
const db = documentClient();
const tableName = env.TABLE_NAME;
const configs = configStore(db, tableName);
const retention = currentRetention(db, tableName);
const deps = {
  config: cached(async () => (await configs.get()).config, 10_000),
  enqueue: outboundQueue(env.OUTBOUND_QUEUE_URL),
  cases: caseStore(db, tableName, retention),
  outreach: outreachStore(db, tableName, retention),
  suppressions: suppressionStore(db, tableName),
  publish: eventPublisher(env.EVENT_BUS_NAME),
  timers: schedulerSlaTimers({
    groupName: env.SLA_SCHEDULE_GROUP,
    targetArn: env.SLA_TIMER_ARN,
    roleArn: env.SLA_SCHEDULER_ROLE_ARN,
    deadLetterArn: env.SLA_DEAD_LETTER_ARN,
  }),
  publicApiUrl: env.PUBLIC_API_URL,
};

export const handler = sqsEventConsumer(
  MetricAlertRaised,
  async (event) => {
    const notified = await notifyMetricAlert(deps, event);
    const outreach = await openSegmentOutreach(deps, event, new Date());
    if ('casesOpened' in outreach) countMetric(BusinessMetrics.casesOpened, outreach.casesOpened);
    logger.info('Metric alert handled', { alertId: event.data.alertId, ...notified, outreach });
  },
  { metrics: [BusinessMetrics.casesOpened] },
);
