import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PersonIdentifier } from '@cxloop/events';
import { isConditionFailure, queryPage, writeIfConditionHolds } from '@cxloop/lambda-kit';
import { writePersonIndex } from '@cxloop/privacy';
import { identifierOfPersonKey } from '../domain/person';

export const suppressionReasons = ['unsubscribed', 'bounced', 'complained', 'erased'] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

export interface Suppression {
  /** The person key it was recorded for; `erased` once the person was erased (only the hash is kept then). */
  personKey: string;
  reason: SuppressionReason;
  at: string;
  source: string;
}

/**
 * `SUPPRESSED#<identifier hash>` / `SUPPRESSED`: one item per person key (`id:…`, `email:…`), never expiring, keyed by
 * the hash of the identifier so that it outlives an erasure of the person without naming them.
 */
export const suppressionKey = (personKey: string) => suppressionKeyOfHash(identifierOfPersonKey(personKey).hash);
const suppressionKeyOfHash = (hash: string) => ({ pk: `SUPPRESSED#${hash}`, sk: 'SUPPRESSED' });

/** gsi1: every suppression, newest first (`GET /v1/unsubscribes`). */
const suppressionListKey = (at: string, hash: string) => ({ gsi1pk: 'INVITES#SUPPRESSED', gsi1sk: `${at}#${hash}` });

/**
 * People who must get no message at all: unsubscribed by themselves, or whose address bounced or complained. The
 * sender checks every key a job is addressed to (its person key and its e-mail address) just before sending.
 */
export function suppressionStore(db: DynamoDBDocumentClient, tableName: string) {
  async function putOnce(item: Record<string, unknown>): Promise<void> {
    await writeIfConditionHolds(
      db.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
    );
  }

  return {
    /** Records the first suppression of a person; later ones keep the first reason and time. */
    async suppress(suppression: Suppression): Promise<void> {
      const identifier = identifierOfPersonKey(suppression.personKey);
      const key = suppressionKeyOfHash(identifier.hash);
      await writePersonIndex(db, tableName, [identifier], 'suppression', key, undefined);
      await putOnce({ ...key, ...suppressionListKey(suppression.at, identifier.hash), suppression });
    },

    /** After an erasure: whoever had these identifiers is never contacted again, though nothing names them. */
    async suppressErased(identifiers: readonly PersonIdentifier[], at: string, source: string): Promise<void> {
      for (const { hash } of identifiers) {
        const suppression: Suppression = { personKey: 'erased', reason: 'erased', at, source };
        await putOnce({ ...suppressionKeyOfHash(hash), ...suppressionListKey(at, hash), suppression });
      }
    },

    /** Erasure: the suppression stays, by hash only; the person key that named the person goes. */
    async erase(key: { pk: string; sk: string }): Promise<void> {
      await db
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: 'SET suppression.personKey = :erased',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':erased': 'erased' },
          }),
        )
        .catch((error) => {
          if (!isConditionFailure(error)) throw error;
        });
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

    /**
     * Suppressions, newest first, optionally of one reason only and recorded within `[since, until]`; `next`
     * continues the listing.
     */
    async list(options: {
      limit: number;
      cursor?: Record<string, unknown>;
      reason?: SuppressionReason;
      since?: Date;
      until?: Date;
    }) {
      const result = await queryPage(
        db,
        {
          TableName: tableName,
          IndexName: 'gsi1',
          // Key values may not be empty: '0' sorts before every ISO time, '~' after its every character and '#'.
          KeyConditionExpression: 'gsi1pk = :all AND gsi1sk BETWEEN :since AND :until',
          ...(options.reason
            ? {
                FilterExpression: '#suppression.#reason = :reason',
                ExpressionAttributeNames: { '#suppression': 'suppression', '#reason': 'reason' },
              }
            : {}),
          ExpressionAttributeValues: {
            ':all': 'INVITES#SUPPRESSED',
            ':since': options.since?.toISOString() ?? '0',
            ':until': options.until ? `${options.until.toISOString()}~` : '~',
            ...(options.reason ? { ':reason': options.reason } : {}),
          },
          ScanIndexForward: false,
          Limit: options.limit,
        },
        options.cursor,
      );
      return {
        suppressions: result.items.map((item) => item.suppression as Suppression),
        next: result.next,
      };
    },
  };
}
export type SuppressionStore = ReturnType<typeof suppressionStore>;
