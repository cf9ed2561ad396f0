import type { MetricAlertRaised } from '@cxloop/events';
import type { ReceivedEvent } from '@cxloop/lambda-kit';
import type { FollowUpConfig } from '../domain/config';
import { metricAlertJobs } from '../domain/notifications';
import type { EnqueueOutbound } from '../outbound/enqueue';

export interface MetricAlertDeps {
  config: () => Promise<FollowUpConfig>;
  enqueue: EnqueueOutbound;
}

/** A metric alert becomes a Slack message (and a webhook when configured); job ids derive from the alert id. */
export async function notifyMetricAlert(deps: MetricAlertDeps, event: ReceivedEvent<typeof MetricAlertRaised>) {
  const config = await deps.config();
  const jobs = metricAlertJobs(event.data, config, {
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.eventId,
  });
  await deps.enqueue(jobs);
  return { jobs: jobs.length };
}
