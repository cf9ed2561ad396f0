import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
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
      const result = await db.send(new GetCommand({ TableName: tableName, Key: followUpKeys.case(caseId) }));
      return result.Item?.case as FollowUpCase | undefined;
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
