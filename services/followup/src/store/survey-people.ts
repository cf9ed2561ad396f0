import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ItemKey } from '@cxloop/lambda-kit';
import { queryPage } from '@cxloop/lambda-kit';
import { daysAfter, ttlOf, writePersonIndex } from '@cxloop/privacy';
import { identifierOfPersonKey } from '../domain/person';
import { defaultRetention, type RetentionSource } from './people';

export const surveyPeopleKeys = {
  entry: (surveyId: string, personKey: string) => ({ pk: `SURVEYPEOPLE#${surveyId}`, sk: `PERSON#${personKey}` }),
  /** gsi1: a survey's people, by when they were first added to it. */
  bySurvey: (surveyId: string) => `SURVEYPEOPLE#${surveyId}`,
};

export interface SurveyPerson {
  personKey: string;
  addedAt: string;
}

/**
 * The people added to a survey through the Delighted API (Delighted keeps people per project, cxloop per
 * deployment), so that `GET /delighted/v1/people` lists the key's survey's people only. An entry names the person
 * by key: it is indexed under them and ends with their contact details.
 */
export function surveyPeopleStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  retention: RetentionSource = defaultRetention,
) {
  return {
    /** Adds the person to the survey (keeping the first time), or moves the end of life of the entry. */
    async add(surveyId: string, personKey: string, now: Date): Promise<void> {
      const key = surveyPeopleKeys.entry(surveyId, personKey);
      const expiresAt = ttlOf(daysAfter(now, (await retention()).contactDetailsDays)) as number;
      await writePersonIndex(db, tableName, [identifierOfPersonKey(personKey)], 'surveyPerson', key, expiresAt);
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression:
            'SET personKey = :personKey, expiresAt = :expiresAt, gsi1pk = :survey, addedAt = if_not_exists(addedAt, :now), gsi1sk = if_not_exists(gsi1sk, :sortKey)',
          ExpressionAttributeValues: {
            ':personKey': personKey,
            ':expiresAt': expiresAt,
            ':survey': surveyPeopleKeys.bySurvey(surveyId),
            ':now': now.toISOString(),
            ':sortKey': `${now.toISOString()}#${personKey}`,
          },
        }),
      );
    },

    async has(surveyId: string, personKey: string): Promise<boolean> {
      const result = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: surveyPeopleKeys.entry(surveyId, personKey),
          ConsistentRead: true,
        }),
      );
      return result.Item !== undefined;
    },

    /** One page of the survey's people, first added first, optionally added within `[since, until]`. */
    async list(
      surveyId: string,
      options: { limit: number; cursor?: Record<string, unknown>; since?: Date; until?: Date },
    ): Promise<{ people: SurveyPerson[]; next: Record<string, unknown> | undefined }> {
      const since = options.since?.toISOString() ?? '0';
      // Key values may not be empty: '0' sorts before every ISO time, '~' after its every character and '#'.
      const until = options.until ? `${options.until.toISOString()}~` : '~';
      const result = await queryPage(
        db,
        {
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :survey AND gsi1sk BETWEEN :since AND :until',
          ExpressionAttributeValues: {
            ':survey': surveyPeopleKeys.bySurvey(surveyId),
            ':since': since,
            ':until': until,
          },
          Limit: options.limit,
        },
        options.cursor,
      );
      return {
        people: result.items.map((item) => ({
          personKey: String(item.personKey),
          addedAt: String(item.addedAt),
        })),
        next: result.next,
      };
    },

    /** Erasure: the entry goes. */
    async erase(key: ItemKey): Promise<void> {
      await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
    },
  };
}
export type SurveyPeopleStore = ReturnType<typeof surveyPeopleStore>;
