import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, keyId } from '@cxloop/lambda-kit';
import type { ChannelName } from '../domain/channel-settings';
import type { MessageRecord, MessageStatus } from '../domain/message-log';
import { ALL_MESSAGES, getMessage, messageKeys, toRecord } from './message-records';

/** Reading the message log: one message, a page of the newest (all, or one case's), or several by id. */
export function messageListing(db: DynamoDBDocumentClient, tableName: string) {
  const key = messageKeys.message;

  /** The records of these messages, in the given order (missing ones left out). */
  async function getMany(messageIds: readonly string[]): Promise<MessageRecord[]> {
    const found = await batchGetAll(db, tableName, messageIds.map(key), { consistentRead: true });
    return messageIds.flatMap((id) => {
      const item = found.get(keyId(key(id)));
      return item ? [toRecord(item)] : [];
    });
  }

  return {
    get: (messageId: string) => getMessage(db, tableName, messageId),

    /**
     * Newest first, optionally only one case's messages, of one status or channel. Status and channel filter the
     * pages as they are read, so a page may hold fewer than `limit` messages while `next` still leads to more.
     */
    async list(query: {
      caseId?: string;
      status?: MessageStatus;
      channel?: ChannelName;
      limit: number;
      cursor?: Record<string, unknown>;
    }): Promise<{ messages: MessageRecord[]; next?: Record<string, unknown> }> {
      const matches = (record: MessageRecord) =>
        (!query.status || record.status === query.status) && (!query.channel || record.channel === query.channel);

      if (query.caseId) {
        const links = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': `MSGS#CASE#${query.caseId}` },
            ScanIndexForward: false,
            Limit: query.limit,
            ...(query.cursor ? { ExclusiveStartKey: query.cursor } : {}),
          }),
        );
        const ids = (links.Items ?? []).map((item) => String(item.messageId));
        const records = await getMany(ids);
        return {
          messages: records.filter(matches),
          ...(links.LastEvaluatedKey ? { next: links.LastEvaluatedKey } : {}),
        };
      }

      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':pk': ALL_MESSAGES };
      const filters: string[] = [];
      if (query.status) {
        names['#status'] = 'status';
        values[':status'] = query.status;
        filters.push('#status = :status');
      }
      if (query.channel) {
        names['#channel'] = 'channel';
        values[':channel'] = query.channel;
        filters.push('#channel = :channel');
      }
      const messages: MessageRecord[] = [];
      let next = query.cursor;
      for (let page = 0; page < 10 && messages.length < query.limit; page += 1) {
        const input: QueryCommandInput = {
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: query.limit - messages.length,
          ...(filters.length > 0 ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
          ...(next ? { ExclusiveStartKey: next } : {}),
        };
        const result = await db.send(new QueryCommand(input));
        messages.push(...(result.Items ?? []).map(toRecord));
        next = result.LastEvaluatedKey;
        if (!next) break;
      }
      return { messages, ...(next ? { next } : {}) };
    },

    getMany,
  };
}
