import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersonIdentifier } from '@cxloop/events';
import { type EraseItem, erasePersonalItems } from '@cxloop/privacy';
import { cellStore } from './cells';
import { feedbackStore } from './feedback';
import { type PersonalItemKind, personalItemKinds } from './keys';
import { surveyStore } from './surveys';
import { transactionWriter, writeActions } from './transactions';

export * from './cells';
export * from './feedback';
export * from './keys';
export * from './surveys';
export * from './transactions';

/** Every store of the aggregation table, over one client. */
export function aggregationStores(db: DynamoDBDocumentClient, tableName: string) {
  const feedback = feedbackStore(db, tableName);
  const erasers: Record<PersonalItemKind, EraseItem> = { [personalItemKinds.feedback]: feedback.erase };
  return {
    surveys: surveyStore(db, tableName),
    feedback,
    cells: cellStore(db, tableName),
    actions: writeActions(tableName),
    commit: transactionWriter(db),
    /** Anonymises every feedback item the person index knows for these identifiers; counts per kind. */
    erasePerson: (erasureId: string, identifiers: readonly PersonIdentifier[], now: Date) =>
      erasePersonalItems(db, tableName, erasureId, identifiers, erasers, now),
  };
}
export type AggregationStores = ReturnType<typeof aggregationStores>;
