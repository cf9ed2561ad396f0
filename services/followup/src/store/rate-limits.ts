import { type DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '@cxloop/lambda-kit';
import type { RateWindow } from '../domain/channel-settings';
import { rateWindowOf } from '../domain/delivery';

/** One counter per scope and window; DynamoDB's TTL removes it a few minutes after the window ends. */
export const rateWindowKey = (scope: string, windowStart: number) => ({
  pk: `RATE#${scope}#${windowStart}`,
  sk: 'RATE',
});

const WINDOW_TTL_SECONDS = 300;

export type RateAcquisition = { ok: true } | { ok: false; full: RateWindow };

/**
 * A fixed-window rate limiter shared by every sender invocation: a send takes `cost` slots of each of its windows
 * with conditional ADDs in one transaction that only succeeds while every window stays within its limit, so
 * concurrent workers can never together exceed one, and a send refused by one window takes nothing from the others
 * (a window may straddle two real seconds of traffic, the usual fixed-window caveat).
 */
export function rateLimiter(db: DynamoDBDocumentClient, tableName: string) {
  return {
    /** Takes the slots of a send (e.g. `slack#alerts`, 1 of 1 per second) at `now`; says which window was full. */
    async acquire(windows: readonly RateWindow[], now: Date): Promise<RateAcquisition> {
      const updates = windows.map((window) => {
        const start = rateWindowOf(now, window.seconds);
        return {
          TableName: tableName,
          Key: rateWindowKey(window.scope, start),
          UpdateExpression: 'ADD #count :cost SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ConditionExpression: 'attribute_not_exists(#count) OR #count <= :room',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':cost': window.cost,
            ':room': window.limit - window.cost,
            ':expiresAt': start + window.seconds + WINDOW_TTL_SECONDS,
          },
        };
      });
      const [only] = updates;
      try {
        if (only && updates.length === 1) await db.send(new UpdateCommand(only));
        else await db.send(new TransactWriteCommand({ TransactItems: updates.map((Update) => ({ Update })) }));
        return { ok: true };
      } catch (error) {
        // A transaction is cancelled by a failed condition, or by a concurrent one on the same window (busy: full).
        const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
        const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
        const busy = reasons.findIndex((reason) => reason.Code === 'TransactionConflict');
        const full = reasons.length > 0 ? windows[failed >= 0 ? failed : busy] : windows[0];
        if (full && (reasons.length > 0 || isConditionFailure(error))) return { ok: false, full };
        throw error;
      }
    },
  };
}
export type RateLimiter = ReturnType<typeof rateLimiter>;
