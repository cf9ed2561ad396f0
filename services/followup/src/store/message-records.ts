import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { MessageRecord } from '../domain/message-log';

/** One `MSG#<jobId>` item per job; every message is also in the time order of `gsi1`. */
export const ALL_MESSAGES = 'MSGS#ALL';

export const messageKeys = {
  message: (messageId: string) => ({ pk: `MSG#${messageId}`, sk: 'MSG' }),
  /** Newest first across all messages. */
  byTime: (queuedAt: string, messageId: string) => ({ gsi1pk: ALL_MESSAGES, gsi1sk: `${queuedAt}#${messageId}` }),
  /** A second item per case message, so a case's messages are one Query away (gsi1 holds the time order). */
  caseLink: (caseId: string, queuedAt: string, messageId: string) => ({
    pk: `MSG#${messageId}`,
    sk: `CASE#${caseId}`,
    gsi1pk: `MSGS#CASE#${caseId}`,
    gsi1sk: `${queuedAt}#${messageId}`,
  }),
};

const recordFields = [
  'messageId',
  'channel',
  'purpose',
  'target',
  'caseId',
  'feedbackId',
  'invitationId',
  'recipient',
  'correlationId',
  'causationId',
  'status',
  'attempts',
  'lastError',
  'lastStatusCode',
  'queuedAt',
  'updatedAt',
  'sentAt',
  'providerId',
  'retryable',
  'announced',
  'leaseId',
  'leaseUntil',
] as const;

export function toRecord(item: Record<string, unknown>): MessageRecord {
  const record: Record<string, unknown> = {};
  for (const field of recordFields) if (item[field] !== undefined) record[field] = item[field];
  return record as unknown as MessageRecord;
}

export async function getMessage(
  db: DynamoDBDocumentClient,
  tableName: string,
  messageId: string,
): Promise<MessageRecord | undefined> {
  const result = await db.send(
    new GetCommand({ TableName: tableName, Key: messageKeys.message(messageId), ConsistentRead: true }),
  );
  return result.Item ? toRecord(result.Item) : undefined;
}
