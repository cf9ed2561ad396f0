import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { RetentionPolicy } from '@cxloop/events';
import { isConditionFailure, writeIfConditionHolds } from '@cxloop/lambda-kit';
import { daysAfter, defaultRetentionPolicy, personIdentifiers, ttlOf, writePersonIndex } from '@cxloop/privacy';
import { type FatiguePolicy, fatiguePolicySchema } from '../domain/fatigue';
import { identifierOfPersonKey, normalisedEmail, type PersonContact } from '../domain/person';

/** What the follow-up service knows of a person: how to reach them, and when they were last invited. */
export interface PersonProfile {
  personKey: string;
  id?: string;
  email?: string;
  phone?: string;
  name?: string;
  locale?: string;
  timeZone?: string;
  properties?: Record<string, string | number | boolean>;
  firstSeenAt: string;
  updatedAt: string;
  /** When the person was last invited (or, for a scheduled invitation, will be): the fatigue reservation. */
  lastInvitedAt?: string;
  /** When the person last answered a survey, through any channel (fed by the categorised feedback). */
  lastAnsweredAt?: string;
}

export interface PersonDetails extends PersonContact {
  name?: string;
  locale?: string;
  timeZone?: string;
  properties?: Record<string, string | number | boolean>;
}

export const peopleKeys = {
  profile: (personKey: string) => ({ pk: `PERSON#${personKey}`, sk: 'PROFILE' }),
  /** gsi1: the people with an e-mail address, so that `/v1/people/{email}` finds a person keyed by user id too. */
  byEmail: (email: string, personKey: string) => ({ gsi1pk: `INVITES#EMAIL#${email}`, gsi1sk: personKey }),
  fatiguePolicy: { pk: 'CONFIG#fatigue', sk: 'CONFIG' },
};

const fromItem = (item: Record<string, unknown>): PersonProfile => {
  const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ...profile } = item;
  return profile as unknown as PersonProfile;
};

/** The retention policy in force (follow-up's copy of it); the defaults where none was set. */
export type RetentionSource = () => Promise<RetentionPolicy>;
export const defaultRetention: RetentionSource = async () => defaultRetentionPolicy;

/**
 * People items hold contact details: each write moves their end of life to `contactDetailsDays` after it, and
 * first indexes the item under every identifier it holds, so an erasure finds it.
 */
export function peopleStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  retention: RetentionSource = defaultRetention,
) {
  async function endOfLife(personKey: string, details: PersonContact, at: Date | string): Promise<number> {
    const expiresAt = ttlOf(daysAfter(at, (await retention()).contactDetailsDays)) as number;
    const identifiers = [
      identifierOfPersonKey(personKey),
      ...personIdentifiers({ respondentId: details.id, email: details.email, phone: details.phone }),
    ];
    await writePersonIndex(db, tableName, identifiers, 'person', peopleKeys.profile(personKey), expiresAt);
    return expiresAt;
  }

  return {
    /**
     * Creates or updates a person with the details given (others are kept); `firstSeenAt` is set once, on creation.
     * Returns the person as stored after the update.
     */
    async upsert(personKey: string, details: PersonDetails, now: Date): Promise<PersonProfile> {
      const email = details.email ? normalisedEmail(details.email) : undefined;
      const fields: Record<string, unknown> = {
        personKey,
        updatedAt: now.toISOString(),
        ...(details.id ? { id: details.id } : {}),
        ...(email ? { email, ...peopleKeys.byEmail(email, personKey) } : {}),
        ...(details.phone ? { phone: details.phone } : {}),
        ...(details.name ? { name: details.name } : {}),
        ...(details.locale ? { locale: details.locale } : {}),
        ...(details.timeZone ? { timeZone: details.timeZone } : {}),
        ...(details.properties ? { properties: details.properties } : {}),
      };
      fields.expiresAt = await endOfLife(personKey, details, now);
      const names = Object.keys(fields);
      const result = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: peopleKeys.profile(personKey),
          UpdateExpression: `SET ${names.map((_, index) => `#f${index} = :f${index}`).join(', ')}, firstSeenAt = if_not_exists(firstSeenAt, :now)`,
          ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#f${index}`, name])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((name, index) => [`:f${index}`, fields[name]])),
            ':now': now.toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(result.Attributes ?? {});
    },

    async get(personKey: string): Promise<PersonProfile | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: peopleKeys.profile(personKey), ConsistentRead: true }),
      );
      return result.Item ? fromItem(result.Item) : undefined;
    },

    /** The keys of the people with this e-mail address (a person keyed by user id, or by the address itself). */
    async keysWithEmail(email: string): Promise<string[]> {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :email',
          ExpressionAttributeValues: { ':email': `INVITES#EMAIL#${normalisedEmail(email)}` },
          ProjectionExpression: 'personKey',
          Limit: 100,
        }),
      );
      return (result.Items ?? []).map((item) => String(item.personKey));
    },

    /** The key of the person whose identifier hashes to `hash` (a Delighted person id), by the person index. */
    async keyOfHash(hash: string): Promise<string | undefined> {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :kind)',
          // The person index's pointers (`personIndexKeys`) to profiles: `PERSONAL#<hash>` / `person#PERSON#<key>#…`.
          ExpressionAttributeValues: { ':pk': `PERSONAL#${hash}`, ':kind': 'person#PERSON#' },
          Limit: 1,
        }),
      );
      const target = result.Items?.[0]?.targetPk;
      return target ? String(target).slice('PERSON#'.length) : undefined;
    },

    /** Erasure: the person's profile goes entirely (their suppression, kept by hash, is what remains). */
    async erase(key: { pk: string; sk: string }): Promise<void> {
      await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
    },

    /**
     * Moves the person's `lastInvitedAt` back to what it was before `reservedAt` was reserved, if that reservation is
     * still the latest (a cancelled invitation gives its slot back; a later one keeps its own).
     */
    async releaseReservation(personKey: string, reservedAt: string, previous: string | undefined): Promise<boolean> {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: peopleKeys.profile(personKey),
            UpdateExpression: previous ? 'SET lastInvitedAt = :previous' : 'REMOVE lastInvitedAt',
            ConditionExpression: 'lastInvitedAt = :reserved',
            ExpressionAttributeValues: { ':reserved': reservedAt, ...(previous ? { ':previous': previous } : {}) },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    /**
     * Records that the person answered a survey at `at` (a later answer wins), so the minimum interval counts from
     * their latest answer as well as their latest invitation, whichever channel either came through.
     */
    async recordAnswered(personKey: string, at: string): Promise<void> {
      await writeIfConditionHolds(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: peopleKeys.profile(personKey),
            UpdateExpression:
              'SET lastAnsweredAt = :at, personKey = :key, firstSeenAt = if_not_exists(firstSeenAt, :at), expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(lastAnsweredAt) OR lastAnsweredAt < :at',
            ExpressionAttributeValues: {
              ':at': at,
              ':key': personKey,
              ':expiresAt': await endOfLife(personKey, {}, at),
            },
          }),
        ),
      );
    },

    /** Records an invitation sent outside the fatigue limits (a re-survey), keeping a later reservation. */
    async recordInvited(personKey: string, at: string): Promise<void> {
      await writeIfConditionHolds(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: peopleKeys.profile(personKey),
            UpdateExpression: 'SET lastInvitedAt = :at, expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(lastInvitedAt) OR lastInvitedAt < :at',
            ExpressionAttributeValues: { ':at': at, ':expiresAt': await endOfLife(personKey, {}, at) },
          }),
        ),
      );
    },
  };
}
export type PeopleStore = ReturnType<typeof peopleStore>;

/** The follow-up fatigue policy (`GET/PUT /v1/followup-fatigue`); the defaults until one is saved. */
export function fatiguePolicyStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    async get(): Promise<FatiguePolicy> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: peopleKeys.fatiguePolicy, ConsistentRead: true }),
      );
      // Parsed on the way out too, so that fields added later get their defaults.
      return fatiguePolicySchema.parse(result.Item?.policy ?? {});
    },

    async put(policy: FatiguePolicy, now: Date): Promise<void> {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...peopleKeys.fatiguePolicy, policy, updatedAt: now.toISOString() },
        }),
      );
    },
  };
}
export type FatiguePolicyStore = ReturnType<typeof fatiguePolicyStore>;
