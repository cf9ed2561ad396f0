import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { messageClaims } from './message-claims';
import { messageListing } from './message-listing';
import { defaultRetention, type RetentionSource } from './people';

/** The message log of the outbound sender (see `domain/message-log`): its claims and settles, and its listing. */
export function messageStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  retention: RetentionSource = defaultRetention,
) {
  return { ...messageListing(db, tableName), ...messageClaims(db, tableName, retention) };
}
export type MessageStore = ReturnType<typeof messageStore>;
