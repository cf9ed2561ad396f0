import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersonIdentifier } from '@cxloop/events';
import { type EraseItem, erasePersonalItems } from '@cxloop/privacy';
import { correctionStore } from './corrections';
import { type PersonalItemKind, personalItemKinds } from './keys';
import { modelStore } from './models';
import { resultStore } from './results';
import { taxonomyStore } from './taxonomies';

export * from './corrections';
export * from './keys';
export * from './models';
export * from './results';
export * from './taxonomies';

export function categorisationStores(db: DynamoDBDocumentClient, tableName: string) {
  const results = resultStore(db, tableName);
  const corrections = correctionStore(db, tableName);
  const erasers: Record<PersonalItemKind, EraseItem> = {
    [personalItemKinds.results]: results.erase,
    [personalItemKinds.corrections]: corrections.erase,
  };
  return {
    results,
    taxonomies: taxonomyStore(db, tableName),
    corrections,
    models: modelStore(db, tableName),
    /** Erases every result and correction the person index knows for these identifiers; counts per kind. */
    erasePerson: (erasureId: string, identifiers: readonly PersonIdentifier[], now: Date) =>
      erasePersonalItems(db, tableName, erasureId, identifiers, erasers, now),
  };
}
export type CategorisationStores = ReturnType<typeof categorisationStores>;
