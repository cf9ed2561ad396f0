import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '@cxloop/lambda-kit';
import { type ItemKey, writePersonIndex } from '@cxloop/privacy';
import { type PersonalData, personalItemKinds } from '../domain/erasure';
import type { RespondentState } from '../domain/respondents';
import { collectionKeys } from './keys';

/**
 * Throttle state per respondent and survey, keyed by the hashed respondent key. Each write moves its end of life to
 * the policy's contact-details period after now and indexes it under the respondent's identifiers.
 */
export function respondentStore(db: DynamoDBDocumentClient, tableName: string) {
  const index = (key: ItemKey, personal: PersonalData) =>
    writePersonIndex(db, tableName, personal.identifiers, personalItemKinds.respondents, key, personal.expiresAt);
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
    async recordAsk(
      surveyId: string,
      respondentKey: string,
      read: RespondentState,
      now: Date,
      personal: PersonalData,
    ): Promise<boolean> {
      const key = collectionKeys.respondent(surveyId, respondentKey);
      await index(key, personal);
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: 'SET lastAskedAt = :now, expiresAt = :expiresAt',
            ConditionExpression: read.lastAskedAt ? 'lastAskedAt = :read' : 'attribute_not_exists(lastAskedAt)',
            ExpressionAttributeValues: {
              ':now': now.toISOString(),
              ':expiresAt': personal.expiresAt,
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

    async recordResponse(
      surveyId: string,
      respondentKey: string,
      respondedAt: string,
      personal: PersonalData,
    ): Promise<void> {
      const key = collectionKeys.respondent(surveyId, respondentKey);
      await index(key, personal);
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'SET lastRespondedAt = :respondedAt, expiresAt = :expiresAt',
          ExpressionAttributeValues: { ':respondedAt': respondedAt, ':expiresAt': personal.expiresAt },
        }),
      );
    },

    /** Forgets a respondent for an erasure: they may be asked again as if new. */
    async erase(key: ItemKey): Promise<void> {
      await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
    },
  };
}
export type RespondentStore = ReturnType<typeof respondentStore>;
