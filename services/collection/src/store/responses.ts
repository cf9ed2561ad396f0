import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, writeIfConditionHolds } from '@cxloop/lambda-kit';
import { type ItemKey, respondentIdentifiers, writePersonIndex } from '@cxloop/privacy';
import { erasedRespondent, personalItemKinds, ResponseErasedError } from '../domain/erasure';
import type { ImportOrigin } from '../domain/imports';
import { type ResponseContent, type StoredResponse, sameContent } from '../domain/responses';
import { anonymiseIfExists } from './anonymise';
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
 * Each write sets the response's end of life (`expiresAt`) and indexes it under its respondent's identifiers.
 * An `imported` answer keeps the time it was given in its source system as `occurredAt`.
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
    return result.Item as
      | (StoredResponse & { publishedRevision: number; expiresAt?: number; erasedAt?: string })
      | undefined;
  }

  return {
    async record(
      surveyId: string,
      responseId: string,
      nextContent: (previous: ResponseContent | undefined) => ResponseContent,
      newFeedbackId: () => string,
      now: Date,
      expiresAt: number,
      imported?: { origin: ImportOrigin; occurredAt: string },
    ): Promise<RecordedResponse> {
      const key = collectionKeys.response(surveyId, responseId);
      const index = (content: ResponseContent) =>
        writePersonIndex(
          db,
          tableName,
          respondentIdentifiers(content.respondent),
          personalItemKinds.responses,
          key,
          expiresAt,
        );
      for (let attempt = 0; attempt < MAX_CONCURRENT_UPDATE_ATTEMPTS; attempt++) {
        const existing = await read(surveyId, responseId);
        if (existing?.erasedAt) throw new ResponseErasedError(responseId);
        try {
          if (!existing) {
            const content = nextContent(undefined);
            const response: StoredResponse = {
              surveyId,
              responseId,
              feedbackId: newFeedbackId(),
              revision: 1,
              content,
              occurredAt: imported?.occurredAt ?? now.toISOString(),
              updatedAt: now.toISOString(),
              ...(imported ? { imported: imported.origin } : {}),
            };
            await index(content);
            await db.send(
              new PutCommand({
                TableName: tableName,
                Item: { ...key, ...response, publishedRevision: 0, expiresAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            );
            return { response, outcome: 'created', publishedRevision: 0 };
          }
          const { publishedRevision, expiresAt: _expiresAt, ...stored } = existing;
          const merged = nextContent(stored.content);
          if (sameContent(merged, stored.content)) return { response: stored, outcome: 'unchanged', publishedRevision };
          const response: StoredResponse = {
            ...stored,
            revision: stored.revision + 1,
            content: merged,
            updatedAt: now.toISOString(),
          };
          await index(merged);
          await db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: key,
              UpdateExpression: 'SET revision = :next, content = :content, updatedAt = :now, expiresAt = :expiresAt',
              ConditionExpression: 'revision = :read',
              ExpressionAttributeValues: {
                ':next': response.revision,
                ':read': stored.revision,
                ':content': merged,
                ':now': response.updatedAt,
                ':expiresAt': expiresAt,
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
      await writeIfConditionHolds(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: collectionKeys.response(surveyId, responseId),
            UpdateExpression: 'SET publishedRevision = :revision',
            ConditionExpression: 'publishedRevision < :revision',
            ExpressionAttributeValues: { ':revision': revision },
          }),
        ),
      );
    },

    /**
     * Anonymises a response for an erasure: the comment, answers, properties and respondent go; the score, channel,
     * locale, times, ids and revision stay (the histograms keep the score, and the response id stays taken).
     */
    async erase(key: ItemKey, now: Date): Promise<void> {
      await anonymiseIfExists(db, tableName, key, {
        expression:
          'SET content.#answers = :none, content.#properties = :empty, content.#respondent = :erased, erasedAt = if_not_exists(erasedAt, :now) REMOVE content.#comment',
        names: {
          '#answers': 'answers',
          '#properties': 'properties',
          '#respondent': 'respondent',
          '#comment': 'comment',
        },
        values: { ':none': [], ':empty': {}, ':erased': erasedRespondent, ':now': now.toISOString() },
      });
    },
  };
}
export type ResponseStore = ReturnType<typeof responseStore>;
