import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '@cxloop/lambda-kit';
import { rateWindowOf } from '../domain/delivery';

/** One counter per target and second; DynamoDB's TTL removes it a few minutes later. */
export const rateWindowKey = (scope: string, epochSecond: number) => ({
  pk: `RATE#${scope}#${epochSecond}`,
  sk: 'RATE',
});

const WINDOW_TTL_SECONDS = 300;

/**
 * A fixed-window rate limiter shared by every sender invocation: a send takes one slot of the current second's
 * counter with a conditional ADD that only succeeds below the limit, so concurrent workers can never together
 * exceed it (a window may straddle two real seconds of traffic, the usual fixed-window caveat).
 */
export function rateLimiter(db: DynamoDBDocumentClient, tableName: string) {
  return {
    /** Takes a slot for `scope` (e.g. `slack#alerts`) in the window of `now`; false when the window is full. */
    async acquire(scope: string, limit: number, now: Date): Promise<boolean> {
      const window = rateWindowOf(now);
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: rateWindowKey(scope, window),
            UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': window + WINDOW_TTL_SECONDS },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
export type RateLimiter = ReturnType<typeof rateLimiter>;
