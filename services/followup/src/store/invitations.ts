import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, queryAll } from '@cxloop/lambda-kit';
import { daysAfter, personIdentifiers, ttlOf, writePersonIndex } from '@cxloop/privacy';
import { autopilotRunScheduleName } from '../domain/autopilot';
import { atExpression, invitationScheduleName, type SurveyInvitation } from '../domain/invitations';
import { identifierOfPersonKey } from '../domain/person';
import { defaultRetention, peopleKeys, type RetentionSource } from './people';

export const invitationKeys = {
  invitation: (invitationId: string) => ({ pk: `INVITE#${invitationId}`, sk: 'INVITE' }),
  /** gsi1, only while pending: a person's pending invitations (`DELETE /v1/people/{person}/survey_requests/pending`). */
  pending: (invitation: Pick<SurveyInvitation, 'personKey' | 'sendAt' | 'invitationId'>) => ({
    gsi1pk: `INVITES#PENDING#${invitation.personKey}`,
    gsi1sk: `${invitation.sendAt}#${invitation.invitationId}`,
  }),
};

/** How a reservation ended: this invitation holds the person's slot, another one does, or it existed already. */
export type ReservationOutcome = 'reserved' | 'taken' | 'exists' | 'conflict';

const cancellationCodes = (error: unknown): (string | undefined)[] =>
  ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((reason) => reason.Code);

/**
 * Invitations hold the address they go to: each ends `messagesDays` after it was made, and is indexed under the
 * person's identifiers before it is written, so an erasure finds it.
 */
export function invitationStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  retention: RetentionSource = defaultRetention,
) {
  async function itemOf(invitation: SurveyInvitation) {
    const key = invitationKeys.invitation(invitation.invitationId);
    const expiresAt = ttlOf(daysAfter(invitation.createdAt, (await retention()).messagesDays));
    const identifiers = [
      identifierOfPersonKey(invitation.personKey),
      ...personIdentifiers({ respondentId: invitation.respondentId, email: invitation.to }),
    ];
    await writePersonIndex(db, tableName, identifiers, 'invitation', key, expiresAt);
    return {
      ...key,
      ...(invitation.status === 'pending' ? invitationKeys.pending(invitation) : {}),
      invitation,
      expiresAt,
    };
  }

  /** Moves a pending invitation to another status; undefined when it was not pending (any more). */
  async function settle(
    invitationId: string,
    changes: Partial<SurveyInvitation> & Pick<SurveyInvitation, 'status'>,
  ): Promise<SurveyInvitation | undefined> {
    const names = Object.keys(changes);
    try {
      const result = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: invitationKeys.invitation(invitationId),
          UpdateExpression: `SET ${names.map((_, index) => `invitation.#c${index} = :c${index}`).join(', ')} REMOVE gsi1pk, gsi1sk`,
          ConditionExpression: 'invitation.#status = :pending',
          ExpressionAttributeNames: {
            ...Object.fromEntries(names.map((name, index) => [`#c${index}`, name])),
            '#status': 'status',
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((name, index) => [`:c${index}`, changes[name as keyof typeof changes]])),
            ':pending': 'pending',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes?.invitation as SurveyInvitation;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  return {
    /**
     * Records a pending invitation and, in the same transaction, reserves the person for it: `lastInvitedAt` becomes
     * the invitation's send time only if the person was last invited at or before `lastInvitedBefore` (exactly one
     * interval before the send time is allowed, as `invitationDecision` allows it). Of two invitations
     * decided at the same moment for the same person, exactly one commits; the other gets `taken` (its condition
     * failed) or `conflict` (DynamoDB cancelled it for the concurrent transaction on the same item), and decides
     * again on what the winner wrote.
     */
    async createReserved(invitation: SurveyInvitation, lastInvitedBefore: string): Promise<ReservationOutcome> {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: peopleKeys.profile(invitation.personKey),
                  UpdateExpression: 'SET lastInvitedAt = :sendAt',
                  ConditionExpression:
                    'attribute_not_exists(lastInvitedAt) OR lastInvitedAt <= :reserveIfLastSurveyedBefore',
                  ExpressionAttributeValues: {
                    ':sendAt': invitation.sendAt,
                    ':reserveIfLastSurveyedBefore': lastInvitedBefore,
                  },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: await itemOf(invitation),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return 'reserved';
      } catch (error) {
        if ((error as Error).name !== 'TransactionCanceledException') throw error;
        const [person, record] = cancellationCodes(error);
        if (record === 'ConditionalCheckFailed') return 'exists';
        if (person === 'ConditionalCheckFailed') return 'taken';
        if (person === 'TransactionConflict' || record === 'TransactionConflict') return 'conflict';
        throw error;
      }
    },

    /** Records an invitation unless one with its id exists; returns whether this call recorded it. */
    async create(invitation: SurveyInvitation): Promise<boolean> {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: await itemOf(invitation),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async get(invitationId: string): Promise<SurveyInvitation | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: invitationKeys.invitation(invitationId), ConsistentRead: true }),
      );
      return result.Item?.invitation as SurveyInvitation | undefined;
    },

    /** The person's pending invitations, oldest send time first. */
    async listPending(personKey: string): Promise<SurveyInvitation[]> {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pending',
        ExpressionAttributeValues: { ':pending': `INVITES#PENDING#${personKey}` },
      });
      return items.map((item) => item.invitation as SurveyInvitation);
    },

    /** Erasure: the invitation goes; a schedule that still fires for it finds nothing and does nothing. */
    async erase(key: { pk: string; sk: string }): Promise<SurveyInvitation | undefined> {
      const result = await db.send(new DeleteCommand({ TableName: tableName, Key: key, ReturnValues: 'ALL_OLD' }));
      return result.Attributes?.invitation as SurveyInvitation | undefined;
    },

    markSent: (invitationId: string, at: Date) => settle(invitationId, { status: 'sent', sentAt: at.toISOString() }),
    markSuppressed: (invitationId: string, reason: string) => settle(invitationId, { status: 'suppressed', reason }),
    cancel: (invitationId: string, at: Date, reason = 'cancelled') =>
      settle(invitationId, { status: 'cancelled', cancelledAt: at.toISOString(), reason }),
  };
}
export type InvitationStore = ReturnType<typeof invitationStore>;

/** One-time EventBridge Scheduler schedules that hand a delayed invitation to the InvitationDue function. */
export interface InvitationSchedules {
  /** Creates the schedule of an invitation; an existing one (a retry) is left as it is. */
  create(invitationId: string, at: Date): Promise<void>;
  /** Deletes the schedule of an invitation; a missing one (fired, or deleted already) is fine. */
  delete(invitationId: string): Promise<void>;
}

export interface InvitationSchedulesConfig {
  groupName: string;
  /** The InvitationDue function. */
  targetArn: string;
  /** The role Scheduler assumes to invoke it. */
  roleArn: string;
  /** Where Scheduler puts an invocation it could not make. */
  deadLetterArn: string;
}

/** One-time schedules in the construct's group that invoke InvitationDue with an input; each at its own name. */
function oneTimeSchedules(config: InvitationSchedulesConfig, client: SchedulerClient) {
  return {
    /** Creates the schedule; an existing one of that name (a retry) is left as it is. */
    async create(name: string, at: Date, input: Record<string, unknown>, description: string): Promise<void> {
      try {
        await client.send(
          new CreateScheduleCommand({
            Name: name,
            GroupName: config.groupName,
            ScheduleExpression: atExpression(at, new Date()),
            ScheduleExpressionTimezone: 'UTC',
            FlexibleTimeWindow: { Mode: 'OFF' },
            ActionAfterCompletion: 'DELETE',
            Description: description,
            Target: {
              Arn: config.targetArn,
              RoleArn: config.roleArn,
              Input: JSON.stringify(input),
              RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
              DeadLetterConfig: { Arn: config.deadLetterArn },
            },
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConflictException') throw error;
      }
    },
    /** Deletes the schedule; a missing one (fired, or deleted already) is fine. */
    async delete(name: string): Promise<void> {
      try {
        await client.send(new DeleteScheduleCommand({ Name: name, GroupName: config.groupName }));
      } catch (error) {
        if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      }
    },
  };
}

export function invitationSchedules(
  config: InvitationSchedulesConfig,
  client = new SchedulerClient({}),
): InvitationSchedules {
  const schedules = oneTimeSchedules(config, client);
  return {
    create: (invitationId, at) =>
      schedules.create(
        invitationScheduleName(invitationId),
        at,
        { invitationId },
        'cxloop follow-up: a delayed survey invitation',
      ),
    delete: (invitationId) => schedules.delete(invitationScheduleName(invitationId)),
  };
}

/** One-time schedules of Autopilot runs: each run decides one invitation of a membership and schedules the next. */
export interface AutopilotRunSchedules {
  create(membershipId: string, at: string): Promise<void>;
  delete(membershipId: string, at: string): Promise<void>;
}

export function autopilotRunSchedules(
  config: InvitationSchedulesConfig,
  client = new SchedulerClient({}),
): AutopilotRunSchedules {
  const schedules = oneTimeSchedules(config, client);
  return {
    create: (membershipId, at) =>
      schedules.create(
        autopilotRunScheduleName(membershipId, at),
        new Date(at),
        { membershipId, runAt: at },
        'cxloop follow-up: the next Autopilot invitation of a membership',
      ),
    delete: (membershipId, at) => schedules.delete(autopilotRunScheduleName(membershipId, at)),
  };
}
