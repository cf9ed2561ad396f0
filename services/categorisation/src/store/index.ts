import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { correctionStore } from './corrections';
import { modelStore } from './models';
import { resultStore } from './results';
import { taxonomyStore } from './taxonomies';

export * from './corrections';
export * from './keys';
export * from './models';
export * from './results';
export * from './taxonomies';

export function categorisationStores(db: DynamoDBDocumentClient, tableName: string) {
  return {
    results: resultStore(db, tableName),
    taxonomies: taxonomyStore(db, tableName),
    corrections: correctionStore(db, tableName),
    models: modelStore(db, tableName),
  };
}
export type CategorisationStores = ReturnType<typeof categorisationStores>;
