import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, isConditionFailure, queryAll, queryPages, writeIfConditionHolds } from '@cxloop/lambda-kit';
import { type ItemKey, personIndexKeys, respondentIdentifiers, writePersonIndex } from '@cxloop/privacy';
import type { DelightedResponseSelection } from '../domain/delighted';
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
      options: {
        /** When it was answered, if not now (an import, a Delighted client's `created_at`). */
        occurredAt?: string;
        imported?: ImportOrigin;
        /** A Delighted person id with no address: indexed as it is (it is an address's identifier hash). */
        personId?: string;
      } = {},
    ): Promise<RecordedResponse> {
      const key = collectionKeys.response(surveyId, responseId);
      const { occurredAt, imported, personId } = options;
      const index = (content: ResponseContent) =>
        writePersonIndex(
          db,
          tableName,
          [
            ...respondentIdentifiers(content.respondent),
            // The pointer is found by the hash alone, whichever identifier it is the hash of.
            ...(personId ? [{ kind: 'email' as const, hash: personId }] : []),
          ],
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
              occurredAt: occurredAt ?? now.toISOString(),
              updatedAt: now.toISOString(),
              ...(imported ? { imported } : {}),
              ...(personId ? { personId } : {}),
            };
            await index(content);
            await db.send(
              new PutCommand({
                TableName: tableName,
                Item: {
                  ...key,
                  ...collectionKeys.responseListing(response),
                  ...response,
                  publishedRevision: 0,
                  expiresAt,
                },
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
              UpdateExpression:
                'SET revision = :next, content = :content, updatedAt = :now, expiresAt = :expiresAt, ' +
                'gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk',
              ConditionExpression: 'revision = :read',
              ExpressionAttributeValues: {
                ':next': response.revision,
                ':read': stored.revision,
                ':content': merged,
                ':now': response.updatedAt,
                ':expiresAt': expiresAt,
                ...Object.fromEntries(
                  Object.entries(collectionKeys.responseListing(response)).map(([name, value]) => [`:${name}`, value]),
                ),
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
     * A page of a survey's responses for Delighted's list, in its order: a Query of gsi1 (creation time) or gsi2 (time
     * of the last change) within the ordering time's bounds, the other bounds and the segment as filters; for one
     * person, the person index's pointers to this survey's responses. Pages are read up to the requested one (its
     * `offset`): Delighted pages by number.
     */
    async listForDelighted(
      selection: DelightedResponseSelection,
    ): Promise<{ responses: StoredResponse[]; hasMore: boolean }> {
      const wanted = selection.offset + selection.limit + 1;
      const byUpdate = selection.order.endsWith(':updated_at');
      const timeOf = (response: StoredResponse) => (byUpdate ? response.updatedAt : response.occurredAt);
      const within = (time: string, bounds: { from?: string; to?: string } | undefined) =>
        (bounds?.from === undefined || time >= bounds.from) && (bounds?.to === undefined || time <= bounds.to);
      const matches = (response: StoredResponse) =>
        within(response.occurredAt, selection.created) &&
        within(response.updatedAt, selection.updated) &&
        (selection.property === undefined ||
          String(response.content.properties[selection.property.name]) === selection.property.value);
      const descending = selection.order.startsWith('desc');
      let found: StoredResponse[];
      if (selection.personId) {
        const pointers = await queryAll(db, {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :responses)',
          ExpressionAttributeValues: {
            ':pk': personIndexKeys.pointer(selection.personId, personalItemKinds.responses, { pk: '', sk: '' }).pk,
            ':responses': `${personalItemKinds.responses}#${collectionKeys.response(selection.surveyId, '').pk}`,
          },
        });
        const items = await batchGetAll(
          db,
          tableName,
          pointers.map((pointer) => ({ pk: String(pointer.targetPk), sk: String(pointer.targetSk) })),
        );
        found = [...items.values()]
          .map((item) => item as StoredResponse)
          .filter(matches)
          .sort((a, b) => (timeOf(a) < timeOf(b) ? -1 : timeOf(a) > timeOf(b) ? 1 : 0) * (descending ? -1 : 1));
      } else {
        const [index, bounds] = byUpdate
          ? (['gsi2', selection.updated] as const)
          : (['gsi1', selection.created] as const);
        found = [];
        for await (const page of queryPages(db, {
          TableName: tableName,
          IndexName: index,
          KeyConditionExpression: `${index}pk = :listing AND ${index}sk BETWEEN :from AND :to`,
          ExpressionAttributeValues: {
            ':listing': collectionKeys.responseListing({ ...selection, responseId: '', occurredAt: '', updatedAt: '' })
              .gsi1pk,
            ':from': bounds?.from ?? '0',
            // After every response id of the last instant.
            ':to': `${bounds?.to ?? '9999'}#\uffff`,
          },
          ScanIndexForward: !descending,
        })) {
          found.push(...page.map((item) => item as StoredResponse).filter(matches));
          if (found.length >= wanted) break;
        }
      }
      return {
        responses: found.slice(selection.offset, selection.offset + selection.limit),
        hasMore: found.length > selection.offset + selection.limit,
      };
    },

    /**
     * Anonymises a response for an erasure: the comment, answers, properties and respondent go; the score, channel,
     * locale, times, ids and revision stay (the histograms keep the score, and the response id stays taken).
     */
    async erase(key: ItemKey, now: Date): Promise<void> {
      await anonymiseIfExists(db, tableName, key, {
        expression:
          'SET content.#answers = :none, content.#properties = :empty, content.#respondent = :erased, erasedAt = if_not_exists(erasedAt, :now) REMOVE content.#comment, personId',
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
