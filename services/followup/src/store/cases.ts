import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '@cxloop/lambda-kit';
import type { CaseStatus, FollowUpCase } from '../domain/cases';

export const followUpKeys = {
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  casesByStatus: (status: CaseStatus, openedAt: string, caseId: string) => ({
    gsi1pk: `CASES#${status}`,
    gsi1sk: `${openedAt}#${caseId}`,
  }),
};

export function caseStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    /** Creates the case unless it exists; returns whether this call created it. */
    async open(followUpCase: FollowUpCase): Promise<boolean> {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...followUpKeys.case(followUpCase.caseId),
              ...followUpKeys.casesByStatus(followUpCase.status, followUpCase.openedAt, followUpCase.caseId),
              case: followUpCase,
              announced: false,
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

    async get(caseId: string): Promise<FollowUpCase | undefined> {
      return (await this.getWithAnnouncement(caseId))?.followUpCase;
    },

    /** The case and whether CaseOpened was published for it. */
    async getWithAnnouncement(caseId: string): Promise<{ followUpCase: FollowUpCase; announced: boolean } | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: followUpKeys.case(caseId), ConsistentRead: true }),
      );
      return result.Item
        ? { followUpCase: result.Item.case as FollowUpCase, announced: result.Item.announced === true }
        : undefined;
    },

    async markAnnounced(caseId: string): Promise<void> {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: followUpKeys.case(caseId),
          UpdateExpression: 'SET announced = :true',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    },

    async listByStatus(status: CaseStatus, limit: number, cursor?: Record<string, unknown>) {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :status',
          ExpressionAttributeValues: { ':status': `CASES#${status}` },
          ScanIndexForward: false,
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: cursor } : {}),
        }),
      );
      return { cases: (result.Items ?? []).map((item) => item.case as FollowUpCase), next: result.LastEvaluatedKey };
    },
  };
}
export type CaseStore = ReturnType<typeof caseStore>;
