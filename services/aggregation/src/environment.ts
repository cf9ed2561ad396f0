import { defineEnvironment } from '@cxloop/lambda-kit/config';

/** The environment of each aggregation function, read by its handler and supplied by `infra/lib/services/aggregation.ts`. */

const table = { TABLE_NAME: 'the aggregation table' };
const bus = { EVENT_BUS_NAME: 'the cxloop event bus (MetricAlertRaised, PersonErased)' };
const rebuilds = { REBUILD_QUEUE_URL: 'the rebuild queue, one survey rebuild step per message' };

export const aggregatorEnvironment = defineEnvironment({ ...table, ...bus });
export const metricsApiEnvironment = defineEnvironment(table);
export const adminApiEnvironment = defineEnvironment({ ...table, ...rebuilds });
export const rebuildWorkerEnvironment = defineEnvironment({ ...table, ...rebuilds });
export const erasureConsumerEnvironment = defineEnvironment({ ...table, ...bus });
export const segmentWatchEnvironment = defineEnvironment({ ...table, ...bus });
