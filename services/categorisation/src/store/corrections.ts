import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Feedback } from '@cxloop/events';
import { queryPage, writeIfConditionHolds } from '@cxloop/lambda-kit';
import { feedbackTtl, type ItemKey, personIndexItems, respondentIdentifiers } from '@cxloop/privacy';
import type { Correction } from '../index';
import { CORRECTION_PREFIX, categorisationKeys, personalItemKinds } from './keys';

/** A person's correction with the text it corrected: an override for that feedback and one training example. */
export interface StoredCorrection {
  correction: Correction;
  revision: number;
  text?: string;
  languageHint?: string;
}

export interface CorrectionPage {
  corrections: StoredCorrection[];
  next?: Record<string, unknown>;
}

function correctionOf(item: Record<string, unknown>): StoredCorrection {
  return {
    correction: item.correction as Correction,
    revision: Number(item.revision),
    ...(typeof item.text === 'string' ? { text: item.text } : {}),
    ...(typeof item.languageHint === 'string' ? { languageHint: item.languageHint } : {}),
  };
}

export function correctionStore(db: DynamoDBDocumentClient, tableName: string) {
  const page = async (limit: number | undefined, cursor?: Record<string, unknown>): Promise<CorrectionPage> => {
    const result = await queryPage(
      db,
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': categorisationKeys.correctionCounter().pk, ':prefix': CORRECTION_PREFIX },
        ConsistentRead: true,
        ...(limit ? { Limit: limit } : {}),
      },
      cursor,
    );
    return { corrections: result.items.map(correctionOf), ...(result.next ? { next: result.next } : {}) };
  };

  return {
    async get(feedbackId: string): Promise<StoredCorrection | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: categorisationKeys.correction(feedbackId), ConsistentRead: true }),
      );
      return result.Item ? correctionOf(result.Item) : undefined;
    },

    /**
     * Stores (replaces) the correction of `feedback` and counts the change, together; indexed under the feedback's
     * respondent, it ends with the feedback's personal data.
     */
    async put(stored: StoredCorrection, feedback: Feedback): Promise<void> {
      const key = categorisationKeys.correction(stored.correction.feedbackId);
      const expiresAt = feedbackTtl(feedback);
      const pointers = personIndexItems(
        respondentIdentifiers(feedback.respondent),
        personalItemKinds.corrections,
        key,
        expiresAt,
      );
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...pointers.map((pointer) => ({ Put: { TableName: tableName, Item: pointer } })),
            { Put: { TableName: tableName, Item: { ...key, ...stored, expiresAt } } },
            {
              Update: {
                TableName: tableName,
                Key: categorisationKeys.correctionCounter(),
                UpdateExpression: 'ADD changes :one',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
    },

    /**
     * Deletes a correction (found through the person index) and counts that as a change, so that the model is
     * trained again without it. Erasing again changes nothing.
     */
    async erase(target: ItemKey): Promise<void> {
      await writeIfConditionHolds(
        db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: tableName,
                  Key: { pk: target.pk, sk: target.sk },
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: categorisationKeys.correctionCounter(),
                  UpdateExpression: 'ADD changes :one',
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
            ],
          }),
        ),
      );
    },

    /** How many times corrections were stored or erased: a model trained after reading this value includes them all. */
    async changes(): Promise<number> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: categorisationKeys.correctionCounter(), ConsistentRead: true }),
      );
      return Number(result.Item?.changes ?? 0);
    },

    page,

    async all(): Promise<StoredCorrection[]> {
      const corrections: StoredCorrection[] = [];
      let cursor: Record<string, unknown> | undefined;
      do {
        const result = await page(undefined, cursor);
        corrections.push(...result.corrections);
        cursor = result.next;
      } while (cursor);
      return corrections;
    },
  };
}
export type CorrectionStore = ReturnType<typeof correctionStore>;
