import { defineEnvironment, type EnvironmentValues } from '@cxloop/lambda-kit/config';

/**
 * The environment of each categorisation function, read by its handler and supplied by
 * `infra/lib/services/categorisation.ts`.
 */

const service = {
  TABLE_NAME: 'the categorisation table',
  EVENT_BUS_NAME: 'the cxloop event bus (FeedbackCategorised, PersonErased)',
};
const jobs = { JOB_QUEUE_URL: "the worker's job queue (training, re-categorisation)" };

/** What `serviceDeps` needs: every categorisation function has it. */
export type ServiceEnvironment = EnvironmentValues<typeof service>;

export const categoriserEnvironment = defineEnvironment(service);
export const adminApiEnvironment = defineEnvironment({ ...service, ...jobs });
export const workerEnvironment = defineEnvironment({ ...service, ...jobs });
export const erasureConsumerEnvironment = defineEnvironment(service);
