import {
  type DynamoDBDocumentClient,
  NumberValue,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CellKey, Counted } from '../domain/counting';
import type { ScoreScale } from '../domain/metrics';
import { feedbackItem, type StoredFeedback } from './feedback';
import { aggregationKeys } from './keys';
import type { SurveyMeta } from './surveys';

export type WriteAction = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limits on one TransactWriteItems call. */
export const transactionLimits = { actions: 100, bytes: 4 * 1024 * 1024 } as const;

/**
 * Writes that commit together or not at all. Counting puts every response's "counted" state and every histogram
 * change that follows from it in one transaction, which is what makes a count exactly once: a retry after a crash
 * finds either all of it or none of it.
 */
export type Commit = (actions: WriteAction[]) => Promise<void>;

export function transactionWriter(db: DynamoDBDocumentClient): Commit {
  return async (actions) => {
    await db.send(new TransactWriteCommand({ TransactItems: actions }));
  };
}

export function writeActions(tableName: string) {
  return {
    /** The feedback's new state, if nobody wrote it since it was read at `readSeq` (absent: never written). */
    putFeedback(stored: StoredFeedback, readSeq: number | undefined): WriteAction {
      return {
        Put: {
          TableName: tableName,
          Item: feedbackItem(stored),
          ...(readSeq === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'seq = :read', ExpressionAttributeValues: { ':read': readSeq } }),
        },
      };
    },

    /** Puts person-index pointers (`respondentPointers`) in the transaction that writes the item they point to. */
    putPointers(pointers: readonly Record<string, unknown>[]): WriteAction[] {
      return pointers.map((pointer) => ({ Put: { TableName: tableName, Item: pointer } }));
    },

    /** Records where the feedback is counted in one generation (a rebuild), if nobody wrote it since `readSeq`. */
    setCounted(
      surveyId: string,
      feedbackId: string,
      generation: number,
      counted: Counted,
      readSeq: number,
    ): WriteAction {
      return {
        Update: {
          TableName: tableName,
          Key: aggregationKeys.feedback(surveyId, feedbackId),
          UpdateExpression: 'SET counted.#generation = :counted, seq = :next',
          ConditionExpression: 'seq = :read',
          ExpressionAttributeNames: { '#generation': String(generation) },
          ExpressionAttributeValues: { ':counted': counted, ':next': readSeq + 1, ':read': readSeq },
        },
      };
    },

    /** Adds each delta to its packed attribute of a cell item (ADD creates the item and attribute at 0). */
    addToCell(surveyId: string, generation: number, key: CellKey, deltas: ReadonlyMap<string, bigint>): WriteAction {
      const names: Record<string, string> = {};
      const values: Record<string, NumberValue> = {};
      const additions = [...deltas].map(([attribute, delta], index) => {
        names[`#a${index}`] = attribute;
        values[`:d${index}`] = NumberValue.from(delta.toString());
        return `#a${index} :d${index}`;
      });
      return {
        Update: {
          TableName: tableName,
          Key: aggregationKeys.cell(surveyId, generation, key),
          UpdateExpression: `ADD ${additions.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    },

    /**
     * Holds the transaction to the survey's generations as read: it fails if a rebuild started or finished in
     * between. Records the survey (and a time zone or scale seen for the first time) on the way.
     */
    guardSurvey(meta: SurveyMeta, seen: { timeZone?: string; scales: ScoreScale[] }): WriteAction {
      const key = aggregationKeys.survey(meta.surveyId);
      const condition = meta.exists
        ? {
            ConditionExpression: 'generationsVersion = :read',
            ExpressionAttributeValues: { ':read': meta.generationsVersion },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: {} };
      const newScales = seen.scales.filter((scale) => !meta.scales.includes(scale));
      const newTimeZone = meta.observedTimeZone === undefined ? seen.timeZone : undefined;
      if (meta.exists && newScales.length === 0 && newTimeZone === undefined) {
        return { ConditionCheck: { TableName: tableName, Key: key, ...condition } };
      }
      const sets = [
        '#generationsVersion = if_not_exists(#generationsVersion, :zero)',
        '#activeGeneration = if_not_exists(#activeGeneration, :zero)',
        ...(newTimeZone ? ['#timeZone = :timeZone'] : []),
      ];
      return {
        Update: {
          TableName: tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}${newScales.length > 0 ? ' ADD #scales :scales' : ''}`,
          ConditionExpression: condition.ConditionExpression,
          ExpressionAttributeNames: {
            '#generationsVersion': 'generationsVersion',
            '#activeGeneration': 'activeGeneration',
            ...(newTimeZone ? { '#timeZone': 'timeZone' } : {}),
            ...(newScales.length > 0 ? { '#scales': 'scales' } : {}),
          },
          ExpressionAttributeValues: {
            ...condition.ExpressionAttributeValues,
            ':zero': 0,
            ...(newTimeZone ? { ':timeZone': newTimeZone } : {}),
            ...(newScales.length > 0 ? { ':scales': new Set(newScales) } : {}),
          },
        },
      };
    },

    /** Holds a rebuild's transaction to its generation still being the one built. */
    guardBuilding(surveyId: string, generation: number): WriteAction {
      return {
        ConditionCheck: {
          TableName: tableName,
          Key: aggregationKeys.survey(surveyId),
          ConditionExpression: 'buildingGeneration = :generation',
          ExpressionAttributeValues: { ':generation': generation },
        },
      };
    },
  };
}
export type WriteActions = ReturnType<typeof writeActions>;
