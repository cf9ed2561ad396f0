import {
  BusinessMetrics,
  countMetric,
  documentClient,
  eventPublisher,
  logger,
  withLogContext,
} from '@cxloop/lambda-kit';
import type { EventBridgeEvent } from 'aws-lambda';
import { pollerEnvironment } from '../environment';
import { appStoreReviews } from '../providers/app-store';
import { googlePlayReviews } from '../providers/google';
import { externalFeedbackStore } from '../store/external-feedback';
import { integrationStore } from '../store/integrations';
import { pollReviews } from '../use-cases/poll-reviews';
import { createdCount, retentionPolicyIn, secretBoxFrom } from './shared';

const env = pollerEnvironment.read();
const tableName = env.TABLE_NAME;
const db = documentClient();
const deps = {
  integrations: integrationStore(db, tableName),
  secretBox: secretBoxFrom(env.SECRETS_KEY_SECRET_ID),
  feedback: externalFeedbackStore(db, tableName),
  publish: eventPublisher(env.EVENT_BUS_NAME),
  retentionPolicy: retentionPolicyIn(db, tableName),
  sources: {
    google_play: googlePlayReviews({
      tokenUrl: env.GOOGLE_OAUTH_TOKEN_URL,
      playApiUrl: env.GOOGLE_PLAY_API_URL,
    }),
    app_store: appStoreReviews(env.APP_STORE_CONNECT_API_URL),
  },
};

/**
 * Runs on the schedule rule. Every pull integration is polled even when one fails; the invocation then fails as a
 * whole so that the error shows in the function's metrics and alarm (its async retries are off: the next scheduled
 * run is the retry).
 */
export const handler = withLogContext(
  async (event: EventBridgeEvent<'Scheduled Event', unknown>): Promise<void> => {
    logger.appendKeys({ correlationId: event.id });
    const outcomes = await pollReviews(deps, { correlationId: event.id }, new Date());
    const failed = outcomes.filter((outcome) => outcome.status === 'failed');
    for (const outcome of outcomes) {
      if (outcome.status === 'failed') logger.error('Poll failed', { ...outcome });
      else if (outcome.status === 'polled') {
        logger.info('Polled', { integrationId: outcome.integrationId, items: outcome.items.length });
        countMetric(BusinessMetrics.responsesReceived, createdCount(outcome.items));
      }
    }
    if (failed.length > 0) {
      throw new Error(`Polling failed for ${failed.map((outcome) => outcome.integrationId).join(', ')}`);
    }
  },
  { metrics: [BusinessMetrics.responsesReceived] },
);
