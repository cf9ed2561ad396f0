import { MetricAlertRaised } from '@cxloop/events';
import { cached, documentClient, logger, requiredEnv, sqsEventConsumer } from '@cxloop/lambda-kit';
import { outboundQueue } from '../outbound/enqueue';
import { configStore } from '../store/config';
import { notifyMetricAlert } from '../use-cases/notify-metric-alert';

const configs = configStore(documentClient(), requiredEnv('TABLE_NAME'));
const deps = {
  config: cached(async () => (await configs.get()).config, 10_000),
  enqueue: outboundQueue(requiredEnv('OUTBOUND_QUEUE_URL')),
};

export const handler = sqsEventConsumer(MetricAlertRaised, async (event) => {
  const result = await notifyMetricAlert(deps, event);
  logger.info('Metric alert queued', { alertId: event.data.alertId, ...result });
});
