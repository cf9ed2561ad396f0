import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Categorisation, Feedback } from '@cxloop/events';
import { batchGetAll, isConditionFailure, queryPages, writeIfConditionHolds } from '@cxloop/lambda-kit';
import { feedbackTtl, type ItemKey, personIndexItems, respondentIdentifiers } from '@cxloop/privacy';
import { categorisationKeys, type LabelRef, labelPartition, labelsOf, personalItemKinds } from './keys';

export interface StoredCategorisation {
  feedback: Feedback;
  categorisation: Categorisation;
  revision: number;
  /** Highest revision whose FeedbackCategorised was published. */
  publishedRevision: number;
  /** Whether this very result (this `seq`) was published; a crash between the write and the publish leaves false. */
  published: boolean;
  /** Grows with every write; each write is conditional on the `seq` it read. */
  seq: number;
}

export interface CategorisationFilter {
  topic?: string;
  sentiment?: string;
  intent?: string;
  /** Occurred in [occurredFrom, occurredBefore). */
  occurredFrom?: Date;
  occurredBefore?: Date;
}

export interface ResultPage {
  results: StoredCategorisation[];
  next?: Record<string, unknown>;
}

/** Pages of the index read per request when the other filters leave most entries out. */
const MAX_PAGES_PER_REQUEST = 10;
const MAX_TRANSACTION_ITEMS = 100;

function resultOf(item: Record<string, unknown>): StoredCategorisation {
  return {
    feedback: item.feedback as Feedback,
    categorisation: item.categorisation as Categorisation,
    revision: Number(item.revision),
    publishedRevision: Number(item.publishedRevision ?? 0),
    published: item.published === true,
    seq: Number(item.seq ?? 0),
  };
}

/** The most selective label of a filter drives the index query; the others filter its entries. */
function drivingLabel(filter: CategorisationFilter): LabelRef {
  if (filter.topic) return { kind: 'topic', id: filter.topic };
  if (filter.intent) return { kind: 'intent', id: filter.intent };
  if (filter.sentiment) return { kind: 'sentiment', id: filter.sentiment };
  return { kind: 'all', id: '*' };
}

function indexCondition(filter: CategorisationFilter) {
  const values: Record<string, unknown> = { ':pk': labelPartition(drivingLabel(filter)) };
  // Index sort keys are `<occurredAt ISO>#<feedbackId>`: a bare timestamp sorts before every key at that instant.
  const from = filter.occurredFrom?.toISOString();
  const before = filter.occurredBefore?.toISOString();
  let condition = 'gsi1pk = :pk';
  if (from && before) {
    condition += ' AND gsi1sk BETWEEN :from AND :before';
    Object.assign(values, { ':from': from, ':before': before });
  } else if (from) {
    condition += ' AND gsi1sk >= :from';
    values[':from'] = from;
  } else if (before) {
    condition += ' AND gsi1sk < :before';
    values[':before'] = before;
  }
  const filters: string[] = [];
  if (filter.topic) {
    filters.push('contains(topicIds, :topic)');
    values[':topic'] = filter.topic;
  }
  if (filter.intent) {
    filters.push('contains(intentIds, :intent)');
    values[':intent'] = filter.intent;
  }
  if (filter.sentiment) {
    filters.push('sentiment = :sentiment');
    values[':sentiment'] = filter.sentiment;
  }
  return {
    KeyConditionExpression: condition,
    ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
    ExpressionAttributeValues: values,
  };
}

export function resultStore(db: DynamoDBDocumentClient, tableName: string) {
  async function batchGetResults(feedbackIds: readonly string[]): Promise<Map<string, StoredCategorisation>> {
    const items = await batchGetAll(db, tableName, feedbackIds.map(categorisationKeys.result));
    return new Map(
      [...items.values()].map((item) => {
        const result = resultOf(item);
        return [result.feedback.feedbackId, result];
      }),
    );
  }

  /** Feedback ids of stored results, newest first, selected through the label index; at most `limit`. */
  async function idsOf(
    filter: CategorisationFilter,
    limit: number,
    cursor?: Record<string, unknown>,
  ): Promise<{ ids: string[]; next?: Record<string, unknown> }> {
    const ids: string[] = [];
    let next = cursor;
    for (let page = 0; page < MAX_PAGES_PER_REQUEST && ids.length < limit; page++) {
      const response = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          ...indexCondition(filter),
          ProjectionExpression: 'feedbackId',
          ScanIndexForward: false,
          // With a filter, Limit bounds the entries read, so a page never holds more matches than still fit.
          Limit: limit - ids.length,
          ...(next ? { ExclusiveStartKey: next } : {}),
        }),
      );
      for (const item of response.Items ?? []) ids.push(String(item.feedbackId));
      next = response.LastEvaluatedKey;
      if (!next) break;
    }
    return { ids, ...(next ? { next } : {}) };
  }

  return {
    ids: idsOf,

    async get(feedbackId: string): Promise<StoredCategorisation | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: categorisationKeys.result(feedbackId), ConsistentRead: true }),
      );
      return result.Item ? resultOf(result.Item) : undefined;
    },

    /**
     * Writes the result (not yet published) and replaces its index entries in one transaction, provided nothing
     * changed it since `previous` was read; returns its `seq`, or undefined when something did change it. The same
     * transaction indexes the result under its respondent's identifiers, and everything written ends with the
     * feedback's personal data (`feedbackTtl`).
     */
    async write(
      previous: StoredCategorisation | undefined,
      next: { feedback: Feedback; categorisation: Categorisation },
    ): Promise<number | undefined> {
      const seq = (previous?.seq ?? 0) + 1;
      const { feedback, categorisation } = next;
      const feedbackId = feedback.feedbackId;
      const labels = labelsOf(categorisation);
      const kept = new Set(labels.map((label) => categorisationKeys.label(feedbackId, label).sk));
      const removed = previous
        ? labelsOf(previous.categorisation).filter((label) => !kept.has(categorisationKeys.label(feedbackId, label).sk))
        : [];
      const resultKey = categorisationKeys.result(feedbackId);
      const expiresAt = feedbackTtl(feedback);
      const pointers = personIndexItems(
        respondentIdentifiers(feedback.respondent),
        personalItemKinds.results,
        resultKey,
        expiresAt,
      );
      // Label entries hold no personal data; they end with their result so that none outlives it.
      const listed = {
        feedbackId,
        occurredAt: feedback.occurredAt,
        sentiment: categorisation.sentiment.label,
        topicIds: categorisation.topics.map((topic) => topic.id),
        intentIds: categorisation.intents.map((intent) => intent.id),
        expiresAt,
      };
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              ...pointers.map((pointer) => ({ Put: { TableName: tableName, Item: pointer } })),
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...resultKey,
                    feedback,
                    categorisation,
                    revision: feedback.revision,
                    publishedRevision: previous?.publishedRevision ?? 0,
                    published: false,
                    seq,
                    expiresAt,
                  },
                  ...(previous
                    ? { ConditionExpression: 'seq = :seq', ExpressionAttributeValues: { ':seq': previous.seq } }
                    : { ConditionExpression: 'attribute_not_exists(pk)' }),
                },
              },
              ...labels.map((label) => ({
                Put: {
                  TableName: tableName,
                  Item: {
                    ...categorisationKeys.label(feedbackId, label),
                    ...categorisationKeys.labelIndex(label, feedback.occurredAt, feedbackId),
                    ...listed,
                  },
                },
              })),
              ...removed.map((label) => ({
                Delete: { TableName: tableName, Key: categorisationKeys.label(feedbackId, label) },
              })),
            ],
          }),
        );
        return seq;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    /**
     * Marks the result written as `seq` published, unless it was replaced since (its writer publishes it). Bumps
     * `seq`, so that a write computed from the state before cannot undo the mark.
     */
    async markPublished(feedbackId: string, seq: number, revision: number): Promise<void> {
      await writeIfConditionHolds(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: categorisationKeys.result(feedbackId),
            UpdateExpression: 'SET published = :true, publishedRevision = :revision, seq = :next',
            ConditionExpression: 'seq = :seq',
            ExpressionAttributeValues: { ':true': true, ':revision': revision, ':seq': seq, ':next': seq + 1 },
          }),
        ),
      );
    },

    /**
     * Erases a result (found through the person index) with its label entries: everything in its partition. Erasing
     * again finds nothing to delete; a write that read the result before is refused by its `seq` condition.
     */
    async erase(target: ItemKey): Promise<void> {
      const pages = queryPages(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': target.pk },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
        Limit: MAX_TRANSACTION_ITEMS,
      });
      for await (const keys of pages) {
        if (keys.length === 0) continue;
        await db.send(
          new TransactWriteCommand({
            TransactItems: keys.map((key) => ({ Delete: { TableName: tableName, Key: { pk: key.pk, sk: key.sk } } })),
          }),
        );
      }
    },

    /** Stored results, newest first, selected through the label index; at most `limit`, and where to go on. */
    async list(filter: CategorisationFilter, limit: number, cursor?: Record<string, unknown>): Promise<ResultPage> {
      const { ids, next } = await idsOf(filter, limit, cursor);
      const found = await batchGetResults(ids);
      return {
        results: ids.flatMap((id) => {
          const result = found.get(id);
          return result ? [result] : [];
        }),
        ...(next ? { next } : {}),
      };
    },
  };
}
export type ResultStore = ReturnType<typeof resultStore>;
