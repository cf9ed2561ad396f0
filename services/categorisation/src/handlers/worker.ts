import { requiredEnv } from '@cxloop/lambda-kit';
import { warmCategoriser } from '../use-cases/active-categoriser';
import { jobConsumer } from './consumers';
import { jobQueue, serviceDeps } from './deps';

warmCategoriser();
export const handler = jobConsumer(serviceDeps(), jobQueue(requiredEnv('JOB_QUEUE_URL')));
