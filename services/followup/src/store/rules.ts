import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, queryPage } from '@cxloop/lambda-kit';
import { defaultRuleSet, type Rule } from '../domain/rules';

/**
 * Rule sets, versioned as a whole: every version is an immutable item in one partition (`RULES#versions` /
 * `v<zero-padded n>`), and `RULES#current` points at the active one. Version 1 is the built-in default set, so the
 * first stored version is 2.
 */
export const ruleKeys = {
  version: (version: number) => ({ pk: 'RULES#versions', sk: `v${String(version).padStart(10, '0')}` }),
  current: () => ({ pk: 'RULES#current', sk: 'POINTER' }),
};

export interface RuleSetVersion {
  version: number;
  rules: Rule[];
  createdAt?: string;
  createdBy?: string;
  /** True for the built-in default set (version 1), which is never stored. */
  isDefault?: boolean;
}

export class RuleSetVersionConflictError extends Error {
  override readonly name = 'RuleSetVersionConflictError';
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`The rule set is at version ${currentVersion}, not ${expectedVersion}`);
  }
}

const defaultVersion = (): RuleSetVersion => ({ ...defaultRuleSet, isDefault: true });

export function ruleStore(db: DynamoDBDocumentClient, tableName: string) {
  async function getVersion(version: number): Promise<RuleSetVersion | undefined> {
    if (version === defaultRuleSet.version) return defaultVersion();
    const result = await db.send(new GetCommand({ TableName: tableName, Key: ruleKeys.version(version) }));
    return result.Item ? (result.Item.ruleSet as RuleSetVersion) : undefined;
  }

  async function currentVersionNumber(): Promise<number | undefined> {
    const pointer = await db.send(
      new GetCommand({ TableName: tableName, Key: ruleKeys.current(), ConsistentRead: true }),
    );
    return typeof pointer.Item?.version === 'number' ? pointer.Item.version : undefined;
  }

  return {
    getVersion,

    /** The active rule set: the stored current version, else the default set. */
    async current(): Promise<RuleSetVersion> {
      const version = await currentVersionNumber();
      if (version === undefined) return defaultVersion();
      const found = await getVersion(version);
      if (!found) throw new Error(`Rule set version ${version} is missing`);
      return found;
    },

    /**
     * Stores `rules` as the version after `expectedVersion` and makes it current, if the current version is still
     * `expectedVersion` (else `RuleSetVersionConflictError`).
     */
    async publish(rules: Rule[], expectedVersion: number, createdBy: string, now: Date): Promise<RuleSetVersion> {
      const stored = await currentVersionNumber();
      const current = stored ?? defaultRuleSet.version;
      if (current !== expectedVersion) throw new RuleSetVersionConflictError(expectedVersion, current);
      const ruleSet: RuleSetVersion = { version: current + 1, rules, createdAt: now.toISOString(), createdBy };
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...ruleKeys.version(ruleSet.version), ruleSet },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...ruleKeys.current(), version: ruleSet.version, updatedAt: ruleSet.createdAt },
                  ...(stored === undefined
                    ? { ConditionExpression: 'attribute_not_exists(pk)' }
                    : {
                        ConditionExpression: 'version = :expected',
                        ExpressionAttributeValues: { ':expected': expectedVersion },
                      }),
                },
              },
            ],
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        throw new RuleSetVersionConflictError(expectedVersion, (await currentVersionNumber()) ?? current);
      }
      return ruleSet;
    },

    /** Versions newest first, the default set last. */
    async history(limit: number, cursor?: Record<string, unknown>) {
      const page = await queryPage(
        db,
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': ruleKeys.version(0).pk },
          ScanIndexForward: false,
          Limit: limit,
        },
        cursor,
      );
      const versions = page.items.map((item) => item.ruleSet as RuleSetVersion);
      return {
        versions: page.next ? versions : [...versions, defaultVersion()],
        ...(page.next ? { next: page.next } : {}),
      };
    },
  };
}
export type RuleStore = ReturnType<typeof ruleStore>;
