import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Survey } from '../domain/surveys';
import { collectionKeys } from './keys';

export function surveyStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    async create(survey: Survey): Promise<void> {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...collectionKeys.survey(survey.id),
            ...collectionKeys.surveyListing,
            gsi1sk: `${survey.createdAt}#${survey.id}`,
            survey,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async get(surveyId: string): Promise<Survey | undefined> {
      const result = await db.send(new GetCommand({ TableName: tableName, Key: collectionKeys.survey(surveyId) }));
      return result.Item?.survey as Survey | undefined;
    },

    async list(limit: number, cursor?: Record<string, unknown>) {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :listing',
          ExpressionAttributeValues: { ':listing': collectionKeys.surveyListing.gsi1pk },
          ScanIndexForward: false,
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: cursor } : {}),
        }),
      );
      return { surveys: (result.Items ?? []).map((item) => item.survey as Survey), next: result.LastEvaluatedKey };
    },
  };
}
export type SurveyStore = ReturnType<typeof surveyStore>;
