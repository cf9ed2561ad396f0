import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
            Item: { ...suppressionKey(suppression.personKey), suppression },
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
  };
}
export type SuppressionStore = ReturnType<typeof suppressionStore>;
