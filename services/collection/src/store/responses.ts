import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '@cxloop/lambda-kit';
import { type ResponseContent, type StoredResponse, sameContent } from '../domain/responses';
import { collectionKeys } from './keys';

export interface RecordedResponse {
  response: StoredResponse;
  outcome: 'created' | 'updated' | 'unchanged';
  /** Highest revision already published as FeedbackReceived; lower than `response.revision` means "publish it". */
  publishedRevision: number;
}

const MAX_CONCURRENT_UPDATE_ATTEMPTS = 5;

/**
 * Responses are idempotent by (survey, responseId): the first post creates revision 1, a retry with the same content
 * changes nothing, and a post with new content (the comment after the score) makes the next revision. Every write is
 * conditional on the revision it read, so two concurrent posts can't both claim the same revision. `nextContent`
 * (the domain's `applyResponsePatch`) makes the content from what was read, again on every retry of a lost race.
 */
export function responseStore(db: DynamoDBDocumentClient, tableName: string) {
  async function read(surveyId: string, responseId: string) {
    const result = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: collectionKeys.response(surveyId, responseId),
        ConsistentRead: true,
      }),
    );
    return result.Item as (StoredResponse & { publishedRevision: number }) | undefined;
  }

  return {
    async record(
      surveyId: string,
      responseId: string,
      nextContent: (previous: ResponseContent | undefined) => ResponseContent,
      newFeedbackId: () => string,
      now: Date,
    ): Promise<RecordedResponse> {
      for (let attempt = 0; attempt < MAX_CONCURRENT_UPDATE_ATTEMPTS; attempt++) {
        const existing = await read(surveyId, responseId);
        try {
          if (!existing) {
            const content = nextContent(undefined);
            const response: StoredResponse = {
              surveyId,
              responseId,
              feedbackId: newFeedbackId(),
              revision: 1,
              content,
              occurredAt: now.toISOString(),
              updatedAt: now.toISOString(),
            };
            await db.send(
              new PutCommand({
                TableName: tableName,
                Item: { ...collectionKeys.response(surveyId, responseId), ...response, publishedRevision: 0 },
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            );
            return { response, outcome: 'created', publishedRevision: 0 };
          }
          const { publishedRevision, ...stored } = existing;
          const merged = nextContent(stored.content);
          if (sameContent(merged, stored.content)) return { response: stored, outcome: 'unchanged', publishedRevision };
          const response: StoredResponse = {
            ...stored,
            revision: stored.revision + 1,
            content: merged,
            updatedAt: now.toISOString(),
          };
          await db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: collectionKeys.response(surveyId, responseId),
              UpdateExpression: 'SET revision = :next, content = :content, updatedAt = :now',
              ConditionExpression: 'revision = :read',
              ExpressionAttributeValues: {
                ':next': response.revision,
                ':read': stored.revision,
                ':content': merged,
                ':now': response.updatedAt,
              },
            }),
          );
          return { response, outcome: 'updated', publishedRevision };
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }
      throw new Error(`Response ${surveyId}/${responseId} kept changing under concurrent updates`);
    },

    async markPublished(surveyId: string, responseId: string, revision: number): Promise<void> {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: collectionKeys.response(surveyId, responseId),
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
export type ResponseStore = ReturnType<typeof responseStore>;
