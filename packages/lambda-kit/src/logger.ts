import { Logger } from '@aws-lambda-powertools/logger';

/** One logger per function; service name, log level and sampling come from the POWERTOOLS_* environment. */
export const logger = new Logger();
