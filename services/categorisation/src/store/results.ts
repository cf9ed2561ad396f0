import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Categorisation, Feedback } from '@cxloop/events';
import { isConditionFailure } from '@cxloop/lambda-kit';

export const categorisationKeys = {
  result: (feedbackId: string) => ({ pk: `FEEDBACK#${feedbackId}`, sk: 'CATEGORISATION' }),
};

export interface StoredCategorisation {
  feedback: Feedback;
  categorisation: Categorisation;
  revision: number;
  /** Highest revision whose FeedbackCategorised was published. */
  publishedRevision: number;
}

export function resultStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    async get(feedbackId: string): Promise<StoredCategorisation | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: categorisationKeys.result(feedbackId), ConsistentRead: true }),
      );
      return result.Item as StoredCategorisation | undefined;
    },

    /** Stores the result of a revision unless a newer revision is stored already; returns whether it was stored. */
    async save(feedback: Feedback, categorisation: Categorisation, publishedRevision: number): Promise<boolean> {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...categorisationKeys.result(feedback.feedbackId),
              feedback,
              categorisation,
              revision: feedback.revision,
              publishedRevision,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR revision <= :revision',
            ExpressionAttributeValues: { ':revision': feedback.revision },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async markPublished(feedbackId: string, revision: number): Promise<void> {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: categorisationKeys.result(feedbackId),
            UpdateExpression: 'SET publishedRevision = :revision',
            ConditionExpression: 'publishedRevision < :revision',
            ExpressionAttributeValues: { ':revision': revision },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}
export type ResultStore = ReturnType<typeof resultStore>;
