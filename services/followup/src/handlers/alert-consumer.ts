import { MetricAlertRaised } from '@cxloop/events';
import { cached, documentClient, logger, sqsEventConsumer } from '@cxloop/lambda-kit';
import { alertConsumerEnvironment } from '../environment';
import { outboundQueue } from '../outbound/enqueue';
import { configStore } from '../store/config';
import { notifyMetricAlert } from '../use-cases/notify-metric-alert';

const env = alertConsumerEnvironment.read();
const configs = configStore(documentClient(), env.TABLE_NAME);
const deps = {
  config: cached(async () => (await configs.get()).config, 10_000),
  enqueue: outboundQueue(env.OUTBOUND_QUEUE_URL),
};

export const handler = sqsEventConsumer(MetricAlertRaised, async (event) => {
  const result = await notifyMetricAlert(deps, event);
  logger.info('Metric alert queued', { alertId: event.data.alertId, ...result });
});
