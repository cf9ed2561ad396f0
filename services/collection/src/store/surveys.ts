import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, queryPage } from '@cxloop/lambda-kit';
import { ConcurrentChangeError } from '../domain/errors';
import type { Survey } from '../domain/surveys';
import { collectionKeys, listingQuery } from './keys';

export function surveyStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    /** Writes the survey and its sealed identity secret together. */
    async create(survey: Survey, sealedIdentitySecret: string): Promise<void> {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...collectionKeys.survey(survey.id),
                  ...collectionKeys.surveyListing,
                  gsi1sk: `${survey.createdAt}#${survey.id}`,
                  survey,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: { ...collectionKeys.surveySecret(survey.id), identitySecret: sealedIdentitySecret },
              },
            },
          ],
        }),
      );
    },

    async get(surveyId: string): Promise<Survey | undefined> {
      const result = await db.send(new GetCommand({ TableName: tableName, Key: collectionKeys.survey(surveyId) }));
      return result.Item?.survey as Survey | undefined;
    },

    /** Replaces the survey if nobody changed it since `previous` was read. */
    async replace(previous: Survey, next: Survey): Promise<void> {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...collectionKeys.survey(next.id),
              ...collectionKeys.surveyListing,
              gsi1sk: `${next.createdAt}#${next.id}`,
              survey: next,
            },
            ConditionExpression: 'survey.updatedAt = :read',
            ExpressionAttributeValues: { ':read': previous.updatedAt },
          }),
        );
      } catch (error) {
        if (isConditionFailure(error))
          throw new ConcurrentChangeError(
            `Survey ${previous.id} was changed by another request meanwhile: read it and try again`,
          );
        throw error;
      }
    },

    async getSealedIdentitySecret(surveyId: string): Promise<string | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: collectionKeys.surveySecret(surveyId) }),
      );
      return result.Item?.identitySecret as string | undefined;
    },

    async putSealedIdentitySecret(surveyId: string, sealed: string): Promise<void> {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...collectionKeys.surveySecret(surveyId), identitySecret: sealed },
        }),
      );
    },

    async list(limit: number, cursor?: Record<string, unknown>) {
      const page = await queryPage(db, listingQuery(tableName, collectionKeys.surveyListing, limit), cursor);
      return { surveys: page.items.map((item) => item.survey as Survey), next: page.next };
    },
  };
}
export type SurveyStore = ReturnType<typeof surveyStore>;
