import { categoriserEnvironment } from '../environment';
import { warmCategoriser } from '../use-cases/active-categoriser';
import { feedbackConsumer } from './consumers';
import { serviceDeps } from './deps';

warmCategoriser();
export const handler = feedbackConsumer(serviceDeps(categoriserEnvironment.read()));
