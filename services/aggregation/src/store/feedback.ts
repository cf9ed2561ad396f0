import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, type Item, type ItemKey, keyId, writeIfConditionHolds } from '@cxloop/lambda-kit';
import { personIndexItems } from '@cxloop/privacy';
import type { Counted } from '../domain/counting';
import type { FeedbackRecord, LabelRecord } from '../domain/feedback-record';
import {
  aggregationKeys,
  feedbackIdLowerBound,
  feedbackPartition,
  personalItemKinds,
  surveyIdOfFeedbackPartition,
} from './keys';

/**
 * One item per piece of feedback: its latest version (the explorer's read model) and, per live generation, where it
 * is counted. `seq` grows with every write; each write is conditional on the `seq` it read, so the item, and the cells
 * written in the same transaction, change only from the state the change was computed from.
 */
export interface StoredFeedback {
  record: FeedbackRecord;
  seq: number;
  /** Generation (as a string) → where this feedback is counted in that generation's cells. */
  counted: Record<string, Counted>;
  /** The revision whose respondent the person index points from; absent once erased. */
  indexedRevision?: number;
}

/**
 * The item is written in a transaction, which costs two write units per started kilobyte: so it is kept compact.
 * Ids come from the key, labels are maps from id to `[score, start, end, start, end, …]` (which also lets the explorer
 * filter on `attribute_exists(topics.<id>)`), and the time zone (used only while counting) is not kept.
 */
type EncodedLabels = Record<string, number[]>;

const encodeLabels = (labels: readonly LabelRecord[]): EncodedLabels =>
  Object.fromEntries(labels.map((label) => [label.id, [label.score, ...label.evidence.flat()]]));

const decodeLabels = (encoded: unknown): LabelRecord[] =>
  Object.entries((encoded ?? {}) as EncodedLabels).map(([id, [score = 0, ...offsets]]) => ({
    id,
    score,
    evidence: offsets.flatMap((start, index) =>
      index % 2 === 0 ? [[start, offsets[index + 1] ?? start] as [number, number]] : [],
    ),
  }));

export function feedbackItem(stored: StoredFeedback): Item {
  const {
    feedbackId,
    surveyId,
    timeZone: _timeZone,
    identifiers: _identifiers,
    sentiment,
    topics,
    intents,
    ...rest
  } = stored.record;
  return {
    ...aggregationKeys.feedback(surveyId, feedbackId),
    ...rest,
    sentiment: sentiment.label,
    sentimentScore: sentiment.score,
    topics: encodeLabels(topics),
    intents: encodeLabels(intents),
    seq: stored.seq,
    counted: stored.counted,
    ...(stored.indexedRevision === undefined ? {} : { indexedRevision: stored.indexedRevision }),
  };
}

/**
 * The person-index pointers to write with `record`: none when the stored item is indexed for this very revision
 * already (a re-categorisation), since the respondent changes only with a new revision. An erased item is indexed
 * again by whatever writes its feedback next.
 */
export function respondentPointers(record: FeedbackRecord, stored: StoredFeedback | undefined): Item[] {
  if (stored?.indexedRevision === record.revision) return [];
  const key = aggregationKeys.feedback(record.surveyId, record.feedbackId);
  return personIndexItems(record.identifiers ?? [], personalItemKinds.feedback, key, record.expiresAt);
}

export function storedFeedbackOf(item: Item): StoredFeedback {
  const { pk, sk, seq, counted, indexedRevision, sentiment, sentimentScore, topics, intents, ...rest } = item;
  const surveyId = surveyIdOfFeedbackPartition(String(pk));
  return {
    record: {
      ...(rest as Omit<FeedbackRecord, 'feedbackId' | 'sentiment' | 'topics' | 'intents'>),
      feedbackId: String(sk),
      ...(surveyId ? { surveyId } : {}),
      sentiment: { label: sentiment as FeedbackRecord['sentiment']['label'], score: Number(sentimentScore ?? 0) },
      topics: decodeLabels(topics),
      intents: decodeLabels(intents),
    },
    seq: Number(seq ?? 0),
    counted: (counted ?? {}) as Record<string, Counted>,
    ...(indexedRevision === undefined ? {} : { indexedRevision: Number(indexedRevision) }),
  };
}

export interface FeedbackFilter {
  surveyId?: string;
  /** Occurred in [occurredFrom, occurredBefore). */
  occurredFrom?: Date;
  occurredBefore?: Date;
  topic?: string;
  sentiment?: string;
  intent?: string;
  minScore?: number;
  maxScore?: number;
}

/** Items read per query page, and pages read per request, when filters leave most items out. */
const PAGE_SIZE = 100;
const MAX_PAGES_PER_REQUEST = 10;

function filterExpression(filter: FeedbackFilter) {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.occurredFrom) {
    conditions.push('occurredAt >= :occurredFrom');
    values[':occurredFrom'] = filter.occurredFrom.toISOString();
  }
  if (filter.occurredBefore) {
    conditions.push('occurredAt < :occurredBefore');
    values[':occurredBefore'] = filter.occurredBefore.toISOString();
  }
  if (filter.topic) {
    conditions.push('attribute_exists(topics.#topic)');
    names['#topic'] = filter.topic;
  }
  if (filter.intent) {
    conditions.push('attribute_exists(intents.#intent)');
    names['#intent'] = filter.intent;
  }
  if (filter.sentiment) {
    conditions.push('sentiment = :sentiment');
    values[':sentiment'] = filter.sentiment;
  }
  if (filter.minScore !== undefined) {
    conditions.push('score >= :minScore');
    values[':minScore'] = filter.minScore;
  }
  if (filter.maxScore !== undefined) {
    conditions.push('score <= :maxScore');
    values[':maxScore'] = filter.maxScore;
  }
  return { conditions, names, values };
}

export function feedbackStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    /** The stored feedback under each key (consistent reads: a counting decision rests on them). */
    async getMany(keys: readonly ItemKey[]): Promise<Map<string, StoredFeedback>> {
      const items = await batchGetAll(db, tableName, keys, { consistentRead: true });
      return new Map([...items].map(([id, item]) => [id, storedFeedbackOf(item)]));
    },

    /**
     * A page of a survey's feedback, newest received first, matching `filter`. The time bound on the key skips
     * feedback received before the period (it cannot have occurred in it); the rest is filtered as read, so a page
     * may hold fewer than `limit` items and still have a cursor.
     */
    async list(filter: FeedbackFilter, limit: number, cursor?: Record<string, unknown>) {
      const { conditions, names, values } = filterExpression(filter);
      const lowerBound = filter.occurredFrom ? feedbackIdLowerBound(filter.occurredFrom) : undefined;
      const records: FeedbackRecord[] = [];
      let next = cursor;
      for (let page = 0; page < MAX_PAGES_PER_REQUEST && records.length < limit; page++) {
        const result = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: lowerBound ? 'pk = :pk AND sk >= :lowerBound' : 'pk = :pk',
            ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
            ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
            ExpressionAttributeValues: {
              ':pk': feedbackPartition(filter.surveyId),
              ...(lowerBound ? { ':lowerBound': lowerBound } : {}),
              ...values,
            },
            ScanIndexForward: false,
            Limit: PAGE_SIZE,
            ...(next ? { ExclusiveStartKey: next } : {}),
          }),
        );
        const items = result.Items ?? [];
        const room = limit - records.length;
        records.push(...items.slice(0, room).map((item) => storedFeedbackOf(item).record));
        if (items.length > room) {
          const last = items[room - 1]!;
          next = { pk: last.pk, sk: last.sk };
          break;
        }
        next = result.LastEvaluatedKey;
        if (!next) break;
      }
      return { records, next };
    },

    /** A page of a survey's stored feedback in key order, for a rebuild. */
    async page(surveyId: string, limit: number, cursor?: Record<string, unknown>) {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': feedbackPartition(surveyId) },
          ConsistentRead: true,
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: cursor } : {}),
        }),
      );
      return { items: (result.Items ?? []).map(storedFeedbackOf), next: result.LastEvaluatedKey };
    },

    /**
     * Anonymises a feedback item found through the person index: its text and customer attributes go; its score,
     * labels and where it is counted stay, so the histograms, a later revision's move and a rebuild still add up (a
     * rebuild counts it under `(none)` for segment keys). Bumps `seq`, so that a write computed from the item as it
     * was fails and is read again; erasing again changes nothing more.
     */
    async erase(target: ItemKey): Promise<void> {
      await writeIfConditionHolds(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: target.pk, sk: target.sk },
            UpdateExpression: 'SET #attributes = :none, #seq = #seq + :one REMOVE #text, #indexedRevision',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: {
              '#attributes': 'attributes',
              '#seq': 'seq',
              '#text': 'text',
              '#indexedRevision': 'indexedRevision',
            },
            ExpressionAttributeValues: { ':none': {}, ':one': 1 },
          }),
        ),
      );
    },

    async count(surveyId: string): Promise<number> {
      let total = 0;
      let cursor: Record<string, unknown> | undefined;
      do {
        const result = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': feedbackPartition(surveyId) },
            Select: 'COUNT',
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        );
        total += result.Count ?? 0;
        cursor = result.LastEvaluatedKey;
      } while (cursor);
      return total;
    },
  };
}
export type FeedbackStore = ReturnType<typeof feedbackStore>;

export const feedbackKeyId = (surveyId: string | undefined, feedbackId: string) =>
  keyId(aggregationKeys.feedback(surveyId, feedbackId));
