import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '@cxloop/lambda-kit';
import { collectionKeys } from './keys';

/** Providers retry for up to a few days (Zendesk, Intercom and Delighted less); a week covers every one of them. */
const DELIVERY_MARKER_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * De-duplication markers of webhook deliveries, written after a delivery was fully applied: a replay then changes
 * nothing, and a delivery that failed half-way is applied again when the provider retries it.
 */
export function webhookDeliveryStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    async seen(integrationId: string, deliveryId: string): Promise<boolean> {
      const result = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: collectionKeys.webhookDelivery(integrationId, deliveryId),
          ConsistentRead: true,
        }),
      );
      return result.Item !== undefined;
    },

    async remember(integrationId: string, deliveryId: string, outcome: string, now: Date): Promise<void> {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...collectionKeys.webhookDelivery(integrationId, deliveryId),
              outcome,
              receivedAt: now.toISOString(),
              expiresAt: Math.floor(now.getTime() / 1000) + DELIVERY_MARKER_TTL_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // A concurrent copy of the same delivery got here first; both applied the same idempotent change.
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}
export type WebhookDeliveryStore = ReturnType<typeof webhookDeliveryStore>;
