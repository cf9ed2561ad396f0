import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Feedback } from '@cxloop/events';
import {
  batchGetAll,
  InvalidInputError,
  type ItemKey,
  isConditionFailure,
  keyId,
  queryPage,
  queryPages,
  writeIfConditionHolds,
} from '@cxloop/lambda-kit';
import { daysAfter, feedbackTtl, personIdentifiers, ttlOf, writePersonIndex } from '@cxloop/privacy';
import {
  OUTREACH_CANDIDATE_DAYS,
  type Outreach,
  type OutreachCandidate,
  type OutreachSegment,
  segmentEntryOf,
} from '../domain/outreach';
import { identifierOfPersonKey } from '../domain/person';
import { defaultRetention, type RetentionSource } from './people';

/**
 * Keys of the outreach area. `OUTREACHANSWERS#<survey>` holds the survey's recent outreach candidates by answer time
 * (personal: indexed under the person, ending with the answer's retention or after {@link OUTREACH_CANDIDATE_DAYS});
 * `OUTREACH#<alertId>` is one outreach, in gsi1 by survey and opening time. An outreach names its people by case id only.
 */
export const outreachKeys = {
  candidate: (surveyId: string, occurredAt: string, feedbackId: string): ItemKey => ({
    pk: `OUTREACHANSWERS#${surveyId}`,
    sk: `${occurredAt}#${feedbackId}`,
  }),
  outreach: (alertId: string): ItemKey => ({ pk: `OUTREACH#${alertId}`, sk: 'OUTREACH' }),
  bySurvey: (surveyId: string, openedAt = '', alertId = '') => ({
    gsi1pk: `OUTREACHES#${surveyId}`,
    gsi1sk: alertId ? `${openedAt}#${alertId}` : openedAt,
  }),
};

export interface StoredOutreach {
  outreach: Outreach;
  /** Every case of the list was opened and announced. */
  done: boolean;
}

export function outreachStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  retention: RetentionSource = defaultRetention,
) {
  return {
    /** Keeps the answer as a candidate (unless a later revision is kept already). */
    async keepCandidate(candidate: OutreachCandidate, feedback: Pick<Feedback, 'retainUntil' | 'receivedAt'>) {
      const key = outreachKeys.candidate(candidate.surveyId, candidate.occurredAt, candidate.feedbackId);
      const expiresAt = ttlOf(
        new Date(feedbackTtl(feedback) * 1000),
        daysAfter(candidate.occurredAt, OUTREACH_CANDIDATE_DAYS),
      ) as number;
      await writePersonIndex(
        db,
        tableName,
        [
          identifierOfPersonKey(candidate.personKey),
          ...personIdentifiers({ respondentId: candidate.contact.id, email: candidate.contact.email }),
        ],
        'outreachCandidate',
        key,
        expiresAt,
      );
      await writeIfConditionHolds(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key, revision: candidate.revision, candidate, expiresAt },
            ConditionExpression: 'attribute_not_exists(pk) OR revision < :revision',
            ExpressionAttributeValues: { ':revision': candidate.revision },
          }),
        ),
      );
    },

    /** A later revision that is no candidate (now a promoter, say) takes the earlier one's place, without its data. */
    async dropCandidate(feedback: Pick<Feedback, 'surveyId' | 'occurredAt' | 'feedbackId' | 'revision'>) {
      if (!feedback.surveyId) return;
      await writeIfConditionHolds(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: outreachKeys.candidate(feedback.surveyId, feedback.occurredAt, feedback.feedbackId),
            UpdateExpression: 'SET revision = :revision REMOVE candidate',
            ConditionExpression: 'attribute_exists(pk) AND revision < :revision',
            ExpressionAttributeValues: { ':revision': feedback.revision },
          }),
        ),
      );
    },

    /**
     * The survey's candidates in the segment who answered since `since`, newest first, until `enough` were found
     * (the caller narrows them further) or the range is read.
     */
    async recentCandidates(
      surveyId: string,
      segment: OutreachSegment,
      since: string,
      enough: number,
    ): Promise<OutreachCandidate[]> {
      const found: OutreachCandidate[] = [];
      const pages = queryPages(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk >= :since',
        FilterExpression: 'contains(#candidate.#segments, :entry)',
        ExpressionAttributeNames: { '#candidate': 'candidate', '#segments': 'segments' },
        ExpressionAttributeValues: {
          ':pk': outreachKeys.candidate(surveyId, '', '').pk,
          ':since': since,
          ':entry': segmentEntryOf(segment),
        },
        ScanIndexForward: false,
      });
      for await (const items of pages) {
        found.push(...items.map((item) => item.candidate as OutreachCandidate));
        if (found.length >= enough) break;
      }
      return found;
    },

    /** The candidates behind these answers, by `surveyId`/`occurredAt#feedbackId` key id; erased ones are absent. */
    async candidatesOf(
      surveyId: string,
      answers: readonly { occurredAt: string; feedbackId: string }[],
    ): Promise<Map<string, OutreachCandidate>> {
      const keys = answers.map((answer) => outreachKeys.candidate(surveyId, answer.occurredAt, answer.feedbackId));
      const items = await batchGetAll(db, tableName, keys, { consistentRead: true });
      const found = new Map<string, OutreachCandidate>();
      for (const [id, item] of items) if (item.candidate) found.set(id, item.candidate as OutreachCandidate);
      return found;
    },

    /** Erasure: the candidate goes. */
    async eraseCandidate(key: ItemKey): Promise<void> {
      await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
    },

    async get(alertId: string): Promise<StoredOutreach | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: outreachKeys.outreach(alertId), ConsistentRead: true }),
      );
      return result.Item ? { outreach: result.Item.outreach as Outreach, done: result.Item.done === true } : undefined;
    },

    /** Records the outreach's list unless the alert has one already; returns whether this call recorded it. */
    async claim(outreach: Outreach): Promise<boolean> {
      const expiresAt = ttlOf(daysAfter(outreach.openedAt, (await retention()).casesDays));
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...outreachKeys.outreach(outreach.alertId),
              ...outreachKeys.bySurvey(outreach.surveyId, outreach.openedAt, outreach.alertId),
              outreach,
              done: false,
              expiresAt,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async markDone(alertId: string): Promise<void> {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: outreachKeys.outreach(alertId),
          UpdateExpression: 'SET done = :done',
          ExpressionAttributeValues: { ':done': true },
        }),
      );
    },

    /** A page of a survey's outreach, newest first. */
    async list(surveyId: string, limit: number, cursor?: Record<string, unknown>) {
      if (cursor && cursor.gsi1pk !== outreachKeys.bySurvey(surveyId).gsi1pk) {
        throw new InvalidInputError([{ field: 'query.cursor', message: "belongs to another survey's list" }]);
      }
      const page = await queryPage(
        db,
        {
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': outreachKeys.bySurvey(surveyId).gsi1pk },
          ScanIndexForward: false,
          Limit: limit,
        },
        cursor,
      );
      return {
        outreach: page.items.map((item) => item.outreach as Outreach),
        ...(page.next ? { next: page.next } : {}),
      };
    },
  };
}
export type OutreachStore = ReturnType<typeof outreachStore>;

/** The key id `candidatesOf` answers by. */
export const candidateIdOf = (surveyId: string, answer: { occurredAt: string; feedbackId: string }) =>
  keyId(outreachKeys.candidate(surveyId, answer.occurredAt, answer.feedbackId));
