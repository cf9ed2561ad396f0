import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type CountedScore, cellId, histogramDeltas, parseCellId } from '../domain/cells';
import { emptyHistogram, type Histogram, mergeHistograms, type ScoreScale } from '../domain/metrics';

export const aggregationKeys = {
  feedbackState: (feedbackId: string) => ({ pk: `FEEDBACK#${feedbackId}`, sk: 'STATE' }),
  cell: (id: string) => {
    const { surveyId, dimension, day } = parseCellId(id);
    return { pk: `CELL#${surveyId}#${dimension}`, sk: `DAY#${day}` };
  },
};

export interface FeedbackState {
  revision: number;
  counted?: CountedScore;
}

const scoreAttribute = (index: number) => `s${index}`;

export function aggregateStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    async readState(feedbackId: string): Promise<FeedbackState | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: aggregationKeys.feedbackState(feedbackId), ConsistentRead: true }),
      );
      return result.Item as FeedbackState | undefined;
    },

    /**
     * Moves one response from what was counted at `previous.revision` to `next`, in one transaction: the state item
     * (the "this revision is counted" marker, conditional on the revision that was read) and every histogram cell
     * change commit together or not at all. A duplicate or a concurrent delivery fails the condition and changes
     * nothing; re-reading then shows the revision already counted.
     */
    async applyRevision(feedbackId: string, previous: FeedbackState | undefined, next: FeedbackState): Promise<void> {
      const cellUpdates = [...histogramDeltas(previous?.counted, next.counted)].map(([id, { scale, deltas }]) => {
        const names: Record<string, string> = { '#scale': 'scale' };
        const values: Record<string, unknown> = { ':scale': scale };
        const additions: string[] = [];
        deltas.forEach((delta, index) => {
          if (delta === 0) return;
          names[`#s${index}`] = scoreAttribute(index);
          values[`:d${index}`] = delta;
          additions.push(`#s${index} :d${index}`);
        });
        return {
          Update: {
            TableName: tableName,
            Key: aggregationKeys.cell(id),
            UpdateExpression: `SET #scale = :scale ADD ${additions.join(', ')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        };
      });
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: { ...aggregationKeys.feedbackState(feedbackId), ...next },
                ...(previous
                  ? {
                      ConditionExpression: 'revision = :read',
                      ExpressionAttributeValues: { ':read': previous.revision },
                    }
                  : { ConditionExpression: 'attribute_not_exists(pk)' }),
              },
            },
            ...cellUpdates,
          ],
        }),
      );
    },

    /** The day histograms of one dimension cell of a survey, from `fromDay` to `toDay` inclusive (YYYY-MM-DD). */
    async dayHistograms(surveyId: string, dimension: string, fromDay: string, toDay: string) {
      const { pk } = aggregationKeys.cell(cellId(surveyId, dimension, fromDay));
      const days: { day: string; scale: ScoreScale; histogram: Histogram }[] = [];
      let cursor: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': pk, ':from': `DAY#${fromDay}`, ':to': `DAY#${toDay}` },
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        );
        for (const item of page.Items ?? []) {
          const scale = item.scale as ScoreScale;
          const histogram = emptyHistogram(scale).map((_, index) => Number(item[scoreAttribute(index)] ?? 0));
          days.push({ day: String(item.sk).slice('DAY#'.length), scale, histogram });
        }
        cursor = page.LastEvaluatedKey;
      } while (cursor);
      return days;
    },

    merge(scale: ScoreScale, histograms: Histogram[]): Histogram {
      return mergeHistograms(scale, emptyHistogram(scale), ...histograms);
    },
  };
}
export type AggregateStore = ReturnType<typeof aggregateStore>;
