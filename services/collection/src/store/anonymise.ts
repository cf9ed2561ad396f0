import { type DynamoDBDocumentClient, type NativeAttributeValue, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { writeIfConditionHolds } from '@cxloop/lambda-kit';
import type { ItemKey } from '@cxloop/privacy';

/**
 * Applies an erasing update (REMOVE/SET of personal attributes) to an item if it still exists: an update of a
 * missing item would create one, and an item its TTL already removed needs nothing.
 */
export async function anonymiseIfExists(
  db: DynamoDBDocumentClient,
  tableName: string,
  key: ItemKey,
  update: { expression: string; names: Record<string, string>; values: Record<string, NativeAttributeValue> },
): Promise<void> {
  await writeIfConditionHolds(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: update.expression,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: update.names,
        ExpressionAttributeValues: update.values,
      }),
    ),
  );
}
