import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '@cxloop/lambda-kit';
import type { RespondentState } from '../domain/respondents';
import { collectionKeys } from './keys';

/** How long a respondent's throttle state outlives its last use. */
const RETENTION_SECONDS = 3 * 365 * 24 * 60 * 60;

export function respondentStore(db: DynamoDBDocumentClient, tableName: string) {
  const expiresAt = (now: Date) => Math.floor(now.getTime() / 1000) + RETENTION_SECONDS;
  return {
    async get(surveyId: string, respondentKey: string): Promise<RespondentState> {
      const result = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: collectionKeys.respondent(surveyId, respondentKey),
          ConsistentRead: true,
        }),
      );
      return {
        ...(result.Item?.lastAskedAt ? { lastAskedAt: result.Item.lastAskedAt as string } : {}),
        ...(result.Item?.lastRespondedAt ? { lastRespondedAt: result.Item.lastRespondedAt as string } : {}),
      };
    },

    /**
     * Records that the respondent is asked now, unless another request did since `read` (two tabs opening at once):
     * false then, and only one of them shows the survey.
     */
    async recordAsk(surveyId: string, respondentKey: string, read: RespondentState, now: Date): Promise<boolean> {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: collectionKeys.respondent(surveyId, respondentKey),
            UpdateExpression: 'SET lastAskedAt = :now, expiresAt = :expiresAt',
            ConditionExpression: read.lastAskedAt ? 'lastAskedAt = :read' : 'attribute_not_exists(lastAskedAt)',
            ExpressionAttributeValues: {
              ':now': now.toISOString(),
              ':expiresAt': expiresAt(now),
              ...(read.lastAskedAt ? { ':read': read.lastAskedAt } : {}),
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async recordResponse(surveyId: string, respondentKey: string, respondedAt: string, now: Date): Promise<void> {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: collectionKeys.respondent(surveyId, respondentKey),
          UpdateExpression: 'SET lastRespondedAt = :respondedAt, expiresAt = :expiresAt',
          ExpressionAttributeValues: { ':respondedAt': respondedAt, ':expiresAt': expiresAt(now) },
        }),
      );
    },
  };
}
export type RespondentStore = ReturnType<typeof respondentStore>;
