import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ItemKey, queryPage, writeIfConditionHolds } from '@cxloop/lambda-kit';
import { daysAfter, personIdentifiers, ttlOf, writePersonIndex } from '@cxloop/privacy';
import {
  type AutopilotConfiguration,
  type AutopilotMembership,
  type AutopilotPlatform,
  type AutopilotSettings,
  autopilotSettingsSchema,
} from '../domain/autopilot';
import { identifierOfPersonKey } from '../domain/person';
import { defaultRetention, type RetentionSource } from './people';

export const autopilotKeys = {
  configuration: (surveyId: string, platform: AutopilotPlatform) => ({
    pk: `AUTOPILOT#${surveyId}`,
    sk: `CONFIG#${platform}`,
  }),
  membership: (membershipId: string) => ({ pk: `AUTOPILOT#${membershipId}`, sk: 'MEMBER' }),
  /** gsi1: the members of a survey's Autopilot on a platform, oldest enrolment first. */
  members: (surveyId: string, platform: AutopilotPlatform) => `AUTOPILOT#${surveyId}#${platform}`,
};

/** `AUTOPILOT#<surveyId>` / `CONFIG#<platform>`: how often a survey's Autopilot asks; the defaults until set. */
export function autopilotConfigurationStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    async get(surveyId: string, platform: AutopilotPlatform): Promise<AutopilotConfiguration> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: autopilotKeys.configuration(surveyId, platform) }),
      );
      const stored = result.Item as { settings?: unknown; createdAt?: string; updatedAt?: string } | undefined;
      return {
        surveyId,
        platform,
        ...autopilotSettingsSchema.parse(stored?.settings ?? {}),
        ...(stored?.createdAt ? { createdAt: stored.createdAt, updatedAt: stored.updatedAt as string } : {}),
      };
    },

    async put(
      surveyId: string,
      platform: AutopilotPlatform,
      settings: AutopilotSettings,
      now: Date,
    ): Promise<AutopilotConfiguration> {
      const result = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: autopilotKeys.configuration(surveyId, platform),
          UpdateExpression: 'SET settings = :settings, updatedAt = :now, createdAt = if_not_exists(createdAt, :now)',
          ExpressionAttributeValues: { ':settings': settings, ':now': now.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = result.Attributes ?? {};
      return { surveyId, platform, ...settings, createdAt: String(item.createdAt), updatedAt: String(item.updatedAt) };
    },
  };
}
export type AutopilotConfigurationStore = ReturnType<typeof autopilotConfigurationStore>;

export type MembershipChanges = Pick<AutopilotMembership, 'nextRunAt' | 'lastInvitationId'>;

/**
 * `AUTOPILOT#<membershipId>` / `MEMBER`: a person enrolled in a survey's Autopilot. It holds their address, so every
 * write first indexes it under the person's identifiers and moves its end of life to `contactDetailsDays` after
 * the write (each run writes it, so an enrolled person's membership lives while it runs).
 */
export function autopilotMembershipStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  retention: RetentionSource = defaultRetention,
) {
  async function indexed(membership: AutopilotMembership, now: Date) {
    const key = autopilotKeys.membership(membership.membershipId);
    const expiresAt = ttlOf(daysAfter(now, (await retention()).contactDetailsDays)) as number;
    const identifiers = [
      identifierOfPersonKey(membership.personKey),
      ...personIdentifiers(membership.platform === 'email' ? { email: membership.to } : { phone: membership.to }),
    ];
    await writePersonIndex(db, tableName, identifiers, 'autopilotMembership', key, expiresAt);
    return {
      ...key,
      gsi1pk: autopilotKeys.members(membership.surveyId, membership.platform),
      gsi1sk: `${membership.createdAt}#${membership.membershipId}`,
      membership,
      expiresAt,
    };
  }

  return {
    /** Records the membership as given; the caller keeps `createdAt` of an existing one. */
    async put(membership: AutopilotMembership, now: Date): Promise<void> {
      await db.send(new PutCommand({ TableName: tableName, Item: await indexed(membership, now) }));
    },

    async get(membershipId: string): Promise<AutopilotMembership | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: autopilotKeys.membership(membershipId), ConsistentRead: true }),
      );
      return result.Item?.membership as AutopilotMembership | undefined;
    },

    /** After a run: its invitation and the next run, unless the membership was removed meanwhile. */
    async recordRun(membership: AutopilotMembership, changes: MembershipChanges, now: Date): Promise<boolean> {
      const { nextRunAt: _previous, ...rest } = membership;
      const updated: AutopilotMembership = { ...rest, ...changes, updatedAt: now.toISOString() };
      return writeIfConditionHolds(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: await indexed(updated, now),
            ConditionExpression: 'attribute_exists(pk)',
          }),
        ),
      );
    },

    /** Removes the membership; returns what it was. Erasure uses it too. */
    async remove(key: ItemKey): Promise<AutopilotMembership | undefined> {
      const result = await db.send(new DeleteCommand({ TableName: tableName, Key: key, ReturnValues: 'ALL_OLD' }));
      return result.Attributes?.membership as AutopilotMembership | undefined;
    },

    /** One page of the members of a survey's Autopilot on a platform, oldest enrolment first. */
    async list(
      surveyId: string,
      platform: AutopilotPlatform,
      options: { limit: number; cursor?: Record<string, unknown> },
    ) {
      const result = await queryPage(
        db,
        {
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :members',
          ExpressionAttributeValues: { ':members': autopilotKeys.members(surveyId, platform) },
          Limit: options.limit,
        },
        options.cursor,
      );
      return {
        memberships: result.items.map((item) => item.membership as AutopilotMembership),
        next: result.next,
      };
    },
  };
}
export type AutopilotMembershipStore = ReturnType<typeof autopilotMembershipStore>;
