import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cellStore } from './cells';
import { feedbackStore } from './feedback';
import { surveyStore } from './surveys';
import { transactionWriter, writeActions } from './transactions';

export * from './cells';
export * from './feedback';
export * from './keys';
export * from './surveys';
export * from './transactions';

/** Every store of the aggregation table, over one client. */
export function aggregationStores(db: DynamoDBDocumentClient, tableName: string) {
  return {
    surveys: surveyStore(db, tableName),
    feedback: feedbackStore(db, tableName),
    cells: cellStore(db, tableName),
    actions: writeActions(tableName),
    commit: transactionWriter(db),
  };
}
export type AggregationStores = ReturnType<typeof aggregationStores>;
