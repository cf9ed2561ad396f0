import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Feedback } from '@cxloop/events';
import { isConditionFailure, writeIfConditionHolds } from '@cxloop/lambda-kit';
import { type ItemKey, respondentIdentifiers, writePersonIndex } from '@cxloop/privacy';
import { erasedRespondent, personalItemKinds } from '../domain/erasure';
import {
  contentDigest,
  type ExternalFeedback,
  externalChange,
  feedbackFromExternal,
} from '../domain/external-feedback';
import type { EndOfLife } from '../domain/retention';
import type { NormalisedFeedback } from '../domain/webhooks';
import { anonymiseIfExists } from './anonymise';
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
 * revision it read, so two deliveries of one review at once cannot both claim a revision. Each revision carries the
 * end of life it was received with (`expiresAt`, `feedback.retainUntil`) and is indexed under its respondent.
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
    const { pk: _pk, sk: _sk, expiresAt: _expiresAt, erasedAt: _erasedAt, publishedRevision, ...stored } = result.Item;
    return { stored: stored as ExternalFeedback, publishedRevision: publishedRevision as number };
  }

  return {
    async record(
      integrationId: string,
      item: NormalisedFeedback,
      newFeedbackId: () => string,
      now: Date,
      endOfLife: EndOfLife,
    ): Promise<RecordedExternalFeedback> {
      const key = collectionKeys.externalFeedback(integrationId, item.externalKey);
      const digest = contentDigest(item);
      const { expiresAt } = endOfLife;
      const index = (feedback: Feedback) =>
        writePersonIndex(
          db,
          tableName,
          respondentIdentifiers(feedback.respondent),
          personalItemKinds.externalFeedback,
          key,
          expiresAt,
        );
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
              feedback: feedbackFromExternal(item, feedbackId, 1, now, endOfLife.retainUntil),
            };
            await index(record.feedback);
            await db.send(
              new PutCommand({
                TableName: tableName,
                Item: { ...key, ...record, publishedRevision: 0, expiresAt },
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
            feedback: feedbackFromExternal(item, stored.feedbackId, revision, now, endOfLife.retainUntil),
          };
          await index(record.feedback);
          await db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: key,
              UpdateExpression:
                'SET revision = :next, digest = :digest, occurredAt = :occurredAt, feedback = :feedback, expiresAt = :expiresAt REMOVE erasedAt',
              ConditionExpression: 'revision = :read',
              ExpressionAttributeValues: {
                ':next': revision,
                ':read': stored.revision,
                ':digest': digest,
                ':occurredAt': record.occurredAt,
                ':feedback': record.feedback,
                ':expiresAt': expiresAt,
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
      await writeIfConditionHolds(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: collectionKeys.externalFeedback(integrationId, externalKey),
            UpdateExpression: 'SET publishedRevision = :revision',
            ConditionExpression: 'publishedRevision < :revision',
            ExpressionAttributeValues: { ':revision': revision },
          }),
        ),
      );
    },

    /**
     * Anonymises provider feedback for an erasure: its text, answers, attributes, links and respondent go; the score,
     * times, ids and digest stay, so a redelivery of the same content stays `unchanged` and stores nothing again.
     * Different content from the provider later (an edited review) is new data and makes the next revision.
     */
    async erase(key: ItemKey, now: Date): Promise<void> {
      await anonymiseIfExists(db, tableName, key, {
        expression:
          'SET feedback.#respondent = :erased, feedback.#answers = :none, feedback.#attributes = :empty, feedback.#links = :none, erasedAt = if_not_exists(erasedAt, :now) REMOVE feedback.#text',
        names: {
          '#respondent': 'respondent',
          '#answers': 'answers',
          '#attributes': 'attributes',
          '#links': 'links',
          '#text': 'text',
        },
        values: { ':erased': erasedRespondent, ':none': [], ':empty': {}, ':now': now.toISOString() },
      });
    },
  };
}
export type ExternalFeedbackStore = ReturnType<typeof externalFeedbackStore>;
