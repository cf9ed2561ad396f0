import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '@cxloop/lambda-kit';
import {
  contentDigest,
  type ExternalFeedback,
  externalChange,
  feedbackFromExternal,
} from '../domain/external-feedback';
import type { NormalisedFeedback } from '../domain/webhooks';
import { collectionKeys } from './keys';

export interface RecordedExternalFeedback {
  record: ExternalFeedback;
  outcome: 'created' | 'updated' | 'unchanged' | 'stale';
  /** Highest revision already published as FeedbackReceived; lower than `record.revision` means "publish it". */
  publishedRevision: number;
}

const MAX_CONCURRENT_UPDATE_ATTEMPTS = 5;

/**
 * Provider feedback, one item per (integration, externalKey). Like responses, every write is conditional on the
 * revision it read, so two deliveries of one review at once cannot both claim a revision.
 */
export function externalFeedbackStore(db: DynamoDBDocumentClient, tableName: string) {
  async function read(integrationId: string, externalKey: string) {
    const result = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: collectionKeys.externalFeedback(integrationId, externalKey),
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const { pk: _pk, sk: _sk, publishedRevision, ...stored } = result.Item;
    return { stored: stored as ExternalFeedback, publishedRevision: publishedRevision as number };
  }

  return {
    async record(
      integrationId: string,
      item: NormalisedFeedback,
      newFeedbackId: () => string,
      now: Date,
    ): Promise<RecordedExternalFeedback> {
      const key = collectionKeys.externalFeedback(integrationId, item.externalKey);
      const digest = contentDigest(item);
      for (let attempt = 0; attempt < MAX_CONCURRENT_UPDATE_ATTEMPTS; attempt++) {
        const existing = await read(integrationId, item.externalKey);
        const change = externalChange(existing?.stored, item, digest);
        try {
          if (!existing) {
            const feedbackId = newFeedbackId();
            const record: ExternalFeedback = {
              integrationId,
              externalKey: item.externalKey,
              feedbackId,
              revision: 1,
              digest,
              occurredAt: item.occurredAt,
              feedback: feedbackFromExternal(item, feedbackId, 1, now),
            };
            await db.send(
              new PutCommand({
                TableName: tableName,
                Item: { ...key, ...record, publishedRevision: 0 },
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            );
            return { record, outcome: 'created', publishedRevision: 0 };
          }
          const { stored, publishedRevision } = existing;
          if (change.kind === 'unchanged' || change.kind === 'stale') {
            return { record: stored, outcome: change.kind, publishedRevision };
          }
          const revision = stored.revision + 1;
          const record: ExternalFeedback = {
            ...stored,
            revision,
            digest,
            occurredAt: item.occurredAt,
            feedback: feedbackFromExternal(item, stored.feedbackId, revision, now),
          };
          await db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: key,
              UpdateExpression:
                'SET revision = :next, digest = :digest, occurredAt = :occurredAt, feedback = :feedback',
              ConditionExpression: 'revision = :read',
              ExpressionAttributeValues: {
                ':next': revision,
                ':read': stored.revision,
                ':digest': digest,
                ':occurredAt': record.occurredAt,
                ':feedback': record.feedback,
              },
            }),
          );
          return { record, outcome: 'updated', publishedRevision };
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }
      throw new Error(`Feedback ${integrationId}/${item.externalKey} kept changing under concurrent updates`);
    },

    async markPublished(integrationId: string, externalKey: string, revision: number): Promise<void> {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: collectionKeys.externalFeedback(integrationId, externalKey),
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
export type ExternalFeedbackStore = ReturnType<typeof externalFeedbackStore>;
