import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { FeedbackReceived } from '@cxloop/events';
import type { EventToPublish, PublishEvents } from '@cxloop/lambda-kit';
import { createServiceTable } from '../../../../test/support/dynamodb';
import { type RateLimit, rateWindow } from '../../src/domain/rate-limits';
import { secretBox } from '../../src/domain/secret-box';
import { apiKeyStore } from '../../src/store/api-keys';
import { externalFeedbackStore } from '../../src/store/external-feedback';
import { integrationStore } from '../../src/store/integrations';
import { collectionKeys } from '../../src/store/keys';
import { rateLimiter } from '../../src/store/rate-limits';
import { respondentStore } from '../../src/store/respondents';
import { responseStore } from '../../src/store/responses';
import { retentionPolicyStore } from '../../src/store/retention-policy';
import { surveyStore } from '../../src/store/surveys';
import { webhookDeliveryStore } from '../../src/store/webhook-deliveries';

/** A fresh collection table in DynamoDB Local with every store on it, a secret box, and a bus that records. */
export async function collectionTestbed() {
  const { db, tableName } = await createServiceTable('collection');
  const box = secretBox('test-secrets-key-0123456789-abcdefghijklmnopqrstuvwxyz');
  const published: EventToPublish[] = [];
  const retention = retentionPolicyStore(db, tableName);
  const publish: PublishEvents = async (events) => {
    published.push(...events);
  };
  return {
    db,
    tableName,
    box,
    secretBox: async () => box,
    published,
    publish,
    /** The FeedbackReceived data published so far, validated against the contract. */
    feedbackEvents: () => published.map((event) => FeedbackReceived.dataSchema.parse(event.data)),
    surveys: surveyStore(db, tableName),
    responses: responseStore(db, tableName),
    respondents: respondentStore(db, tableName),
    rateLimiter: rateLimiter(db, tableName),
    apiKeys: apiKeyStore(db, tableName),
    integrations: integrationStore(db, tableName),
    deliveries: webhookDeliveryStore(db, tableName),
    feedback: externalFeedbackStore(db, tableName),
    retention,
    /** Read on every use, so a test sees a policy as soon as it is stored (the handlers cache it for a minute). */
    retentionPolicy: async () => (await retention.get()).policy,
    /** Every item of the table whose partition key starts with `prefix` (a test sees everything that was stored). */
    async itemsWithPrefix(prefix: string) {
      const result = await db.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':prefix': prefix },
        }),
      );
      return result.Items ?? [];
    },
  };
}
export type CollectionTestbed = Awaited<ReturnType<typeof collectionTestbed>>;

/** Spends all of `subject`'s window of `limit` at `now`, as that many requests would have. */
export async function spendQuota(bed: CollectionTestbed, limit: RateLimit, subject: string, now: Date) {
  await bed.db.send(
    new UpdateCommand({
      TableName: bed.tableName,
      Key: collectionKeys.rateWindow(limit.name, subject, rateWindow(limit, now).startsAt),
      UpdateExpression: 'ADD hits :hits',
      ExpressionAttributeValues: { ':hits': limit.limit },
    }),
  );
}
