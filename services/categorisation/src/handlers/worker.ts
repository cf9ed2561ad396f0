import { workerEnvironment } from '../environment';
import { warmCategoriser } from '../use-cases/active-categoriser';
import { jobConsumer } from './consumers';
import { jobQueue, serviceDeps } from './deps';

warmCategoriser();
const env = workerEnvironment.read();
export const handler = jobConsumer(serviceDeps(env), jobQueue(env.JOB_QUEUE_URL));
