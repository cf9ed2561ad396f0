import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, queryPage } from '@cxloop/lambda-kit';
import { defaultTaxonomy, type Taxonomy } from '../index';
import { categorisationKeys, TAXONOMY_VERSION_PREFIX } from './keys';

/** The built-in default is version 1 and is never stored; the CX team's edits are versions 2, 3, … */
export const DEFAULT_TAXONOMY_VERSION = defaultTaxonomy.version;

export interface TaxonomyVersion {
  taxonomy: Taxonomy;
  createdAt?: string;
  createdBy?: string;
}

export interface TaxonomyVersionPage {
  versions: TaxonomyVersion[];
  next?: Record<string, unknown>;
}

export function taxonomyStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    async activeVersion(): Promise<number> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: categorisationKeys.activeTaxonomy(), ConsistentRead: true }),
      );
      return result.Item ? Number(result.Item.version) : DEFAULT_TAXONOMY_VERSION;
    },

    async get(version: number): Promise<TaxonomyVersion | undefined> {
      if (version === DEFAULT_TAXONOMY_VERSION) return { taxonomy: defaultTaxonomy };
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: categorisationKeys.taxonomyVersion(version) }),
      );
      if (!result.Item) return undefined;
      return {
        taxonomy: result.Item.taxonomy as Taxonomy,
        createdAt: result.Item.createdAt,
        createdBy: result.Item.createdBy,
      };
    },

    async latestVersion(): Promise<number> {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': 'TAXONOMY', ':prefix': TAXONOMY_VERSION_PREFIX },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      );
      const latest = result.Items?.[0];
      return latest ? Number(latest.version) : DEFAULT_TAXONOMY_VERSION;
    },

    /** Stored versions, newest first; the built-in default ends the last page. */
    async list(limit: number, cursor?: Record<string, unknown>): Promise<TaxonomyVersionPage> {
      const page = await queryPage(
        db,
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': 'TAXONOMY', ':prefix': TAXONOMY_VERSION_PREFIX },
          ScanIndexForward: false,
          Limit: limit,
        },
        cursor,
      );
      const versions: TaxonomyVersion[] = page.items.map((item) => ({
        taxonomy: item.taxonomy as Taxonomy,
        createdAt: item.createdAt,
        createdBy: item.createdBy,
      }));
      if (!page.next) versions.push({ taxonomy: defaultTaxonomy });
      return { versions, ...(page.next ? { next: page.next } : {}) };
    },

    /**
     * Stores a new version (never overwriting one) and makes it the active one, together; false when that version
     * exists already (someone else stored it first).
     */
    async create(taxonomy: Taxonomy, createdBy: string, now: Date): Promise<boolean> {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...categorisationKeys.taxonomyVersion(taxonomy.version),
                    version: taxonomy.version,
                    taxonomy,
                    createdAt: now.toISOString(),
                    createdBy,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...categorisationKeys.activeTaxonomy(),
                    version: taxonomy.version,
                    activatedAt: now.toISOString(),
                  },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
export type TaxonomyStore = ReturnType<typeof taxonomyStore>;
