import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '@cxloop/lambda-kit';

export const suppressionReasons = ['unsubscribed', 'bounced', 'complained'] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

export interface Suppression {
  personKey: string;
  reason: SuppressionReason;
  at: string;
  source: string;
}

/** `PERSON#<personKey>` / `SUPPRESSED`: one item per person key (`id:…`, `email:…`, `anon:…`), never expiring. */
export const suppressionKey = (personKey: string) => ({ pk: `PERSON#${personKey}`, sk: 'SUPPRESSED' });

/** gsi1: every suppression, newest first (`GET /v1/unsubscribes`). */
export const suppressionListKey = (suppression: Pick<Suppression, 'personKey' | 'at'>) => ({
  gsi1pk: 'INVITES#SUPPRESSED',
  gsi1sk: `${suppression.at}#${suppression.personKey}`,
});

/**
 * People who must get no message at all: unsubscribed by themselves, or whose address bounced or complained. The
 * sender checks every key a job is addressed to (its person key and its e-mail address) just before sending.
 */
export function suppressionStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    /** Records the first suppression of a person; later ones keep the first reason and time. */
    async suppress(suppression: Suppression): Promise<void> {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...suppressionKey(suppression.personKey), ...suppressionListKey(suppression), suppression },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    /** The suppression of any of these person keys, if one exists. */
    async findAny(personKeys: readonly string[]): Promise<Suppression | undefined> {
      const found = await Promise.all(
        [...new Set(personKeys)].map((personKey) =>
          db.send(new GetCommand({ TableName: tableName, Key: suppressionKey(personKey), ConsistentRead: true })),
        ),
      );
      const item = found.find((result) => result.Item)?.Item;
      return item ? (item.suppression as Suppression) : undefined;
    },

    /** Suppressions, newest first, optionally of one reason only; `next` continues the listing. */
    async list(options: { limit: number; cursor?: Record<string, unknown>; reason?: SuppressionReason }) {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :all',
          ...(options.reason
            ? {
                FilterExpression: '#suppression.#reason = :reason',
                ExpressionAttributeNames: { '#suppression': 'suppression', '#reason': 'reason' },
              }
            : {}),
          ExpressionAttributeValues: {
            ':all': 'INVITES#SUPPRESSED',
            ...(options.reason ? { ':reason': options.reason } : {}),
          },
          ScanIndexForward: false,
          Limit: options.limit,
          ...(options.cursor ? { ExclusiveStartKey: options.cursor } : {}),
        }),
      );
      return {
        suppressions: (result.Items ?? []).map((item) => item.suppression as Suppression),
        next: result.LastEvaluatedKey,
      };
    },
  };
}
export type SuppressionStore = ReturnType<typeof suppressionStore>;
