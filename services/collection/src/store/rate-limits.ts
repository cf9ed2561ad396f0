import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RateLimitExceededError } from '../domain/errors';
import { ipSubject, type RateLimit, rateWindow, retryAfterSeconds, surveySubject } from '../domain/rate-limits';
import { collectionKeys } from './keys';

/**
 * Fixed-window counters in the service table: one atomic `ADD` per request, no read before it, and TTL removes old
 * windows at no cost. A fixed window lets a client spend up to twice the limit across a window boundary, which is
 * fine for abuse limits (API Gateway's token buckets shape bursts in front of it), and needs no cache cluster, VPC or
 * extra cold-start cost that a sliding window in ElastiCache would.
 */
export function rateLimiter(db: DynamoDBDocumentClient, tableName: string) {
  /** Counts one request of `subject` against `limit`; throws RateLimitExceededError once the window's limit is spent. */
  async function hit(limit: RateLimit, subject: string, now: Date): Promise<void> {
    const window = rateWindow(limit, now);
    const result = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: collectionKeys.rateWindow(limit.name, subject, window.startsAt),
        UpdateExpression: 'ADD hits :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
        // DynamoDB's TTL deletes within days, not at the second: the window in the key is what counts.
        ExpressionAttributeValues: { ':one': 1, ':expiresAt': window.endsAt + 60 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const hits = Number(result.Attributes?.hits ?? 0);
    if (hits > limit.limit) {
      throw new RateLimitExceededError(limit, retryAfterSeconds(window, now));
    }
  }
  return {
    hit,
    /**
     * Counts a request of a survey that exists (an unknown survey id must write no counter) against its client's
     * limit, then against the survey's: a client over its own limit spends none of the survey's quota.
     */
    async hitClientAndSurvey(
      perClient: RateLimit,
      perSurvey: RateLimit,
      request: { surveyId: string; clientIp: string; now: Date },
    ): Promise<void> {
      await hit(perClient, ipSubject(request.clientIp), request.now);
      await hit(perSurvey, surveySubject(request.surveyId), request.now);
    },
  };
}
export type RateLimiter = ReturnType<typeof rateLimiter>;
