import { gunzipSync, gzipSync } from 'node:zlib';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '@cxloop/lambda-kit';
import { type CorrectionModel, correctionModelSchema } from '../index';
import { categorisationKeys } from './keys';

/** DynamoDB's item limit is 400 KB; the gzipped model (≈30 KB per 500 corrections) must fit with room to spare. */
export const MAX_MODEL_BYTES = 350_000;

export interface StoredModel {
  model: CorrectionModel;
  /** The corrections counter the model was trained after: it includes every correction up to it. */
  changes: number;
  trainedAt: string;
}

export function modelStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    /** The stored model's counter only, so that warm functions notice a new model without reading it. */
    async changes(): Promise<number> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: categorisationKeys.model(), ProjectionExpression: 'changes' }),
      );
      return Number(result.Item?.changes ?? 0);
    },

    async get(): Promise<StoredModel | undefined> {
      const result = await db.send(new GetCommand({ TableName: tableName, Key: categorisationKeys.model() }));
      if (!result.Item) return undefined;
      const json = gunzipSync(result.Item.model as Uint8Array).toString('utf8');
      return {
        model: correctionModelSchema.parse(JSON.parse(json)),
        changes: Number(result.Item.changes),
        trainedAt: String(result.Item.trainedAt),
      };
    },

    /** Stores the model unless one trained from as many corrections or more is stored; returns whether it was. */
    async put(stored: StoredModel): Promise<boolean> {
      const model = gzipSync(JSON.stringify(stored.model));
      if (model.byteLength > MAX_MODEL_BYTES) {
        throw new Error(`The correction model is ${model.byteLength} bytes gzipped, over ${MAX_MODEL_BYTES}`);
      }
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...categorisationKeys.model(), model, changes: stored.changes, trainedAt: stored.trainedAt },
            ConditionExpression: 'attribute_not_exists(pk) OR changes < :changes',
            ExpressionAttributeValues: { ':changes': stored.changes },
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
export type ModelStore = ReturnType<typeof modelStore>;
