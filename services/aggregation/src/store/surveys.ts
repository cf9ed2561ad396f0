import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, type Item, isConditionFailure, keyId, queryAll } from '@cxloop/lambda-kit';
import { isScoreScale, type ScoreScale } from '../domain/metrics';
import { defaultSurveyConfig, type SurveyConfig, surveyConfigSchema } from '../domain/survey-config';
import { aggregationKeys } from './keys';

/**
 * What the service knows of a survey: its configuration, the time zone and scales seen in its events, and its
 * histogram generations. Cells are written to every live generation: the active one the API reads and, during a
 * rebuild, the one being built. `generationsVersion` changes whenever the live generations do, and every counting
 * transaction is conditional on the version it read, so no transaction can miss a generation that went live.
 */
export interface SurveyMeta {
  surveyId: string;
  exists: boolean;
  config: SurveyConfig;
  /** 0 until the configuration is first set. */
  configVersion: number;
  observedTimeZone?: string;
  scales: ScoreScale[];
  activeGeneration: number;
  /** The configuration the active generation was built with. */
  activeConfigVersion: number;
  buildingGeneration?: number;
  buildingConfigVersion?: number;
  generationsVersion: number;
}

export function timeZoneOf(meta: SurveyMeta): string {
  return meta.config.timeZone ?? meta.observedTimeZone ?? 'UTC';
}

export function liveGenerations(meta: SurveyMeta): number[] {
  return meta.buildingGeneration === undefined
    ? [meta.activeGeneration]
    : [meta.activeGeneration, meta.buildingGeneration];
}

const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);

export function surveyMetaOf(surveyId: string, item: Item | undefined): SurveyMeta {
  const parsedConfig = item?.config === undefined ? undefined : surveyConfigSchema.safeParse(item.config);
  const scales = item?.scales instanceof Set ? [...item.scales].filter(isScoreScale) : [];
  return {
    surveyId,
    exists: item !== undefined,
    config: parsedConfig?.success ? parsedConfig.data : defaultSurveyConfig,
    configVersion: numberOr(item?.configVersion, 0),
    ...(typeof item?.timeZone === 'string' ? { observedTimeZone: item.timeZone } : {}),
    scales: scales.sort(),
    activeGeneration: numberOr(item?.activeGeneration, 0),
    activeConfigVersion: numberOr(item?.activeConfigVersion, 0),
    ...(typeof item?.buildingGeneration === 'number'
      ? { buildingGeneration: item.buildingGeneration, buildingConfigVersion: numberOr(item.buildingConfigVersion, 0) }
      : {}),
    generationsVersion: numberOr(item?.generationsVersion, 0),
  };
}

export interface RebuildJob {
  surveyId: string;
  jobId: string;
  generation: number;
  status: 'running' | 'done';
  /** Feedback items read so far, and how many of them were counted into the new generation by the rebuild. */
  processed: number;
  recounted: number;
  /** Feedback items stored when the rebuild started; live traffic may add more. */
  total: number;
  /** Where the scan goes on; `scanned` once every stored item was read. */
  cursor?: Record<string, unknown>;
  scanned: boolean;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export interface AlertState {
  status: 'ok' | 'raised';
  /** The last alert raised by the rule, kept after it clears. */
  alertId?: string;
  announced: boolean;
  raisedAt?: string;
  /** The event data of the raised alert, kept to publish it again when a crash came between raising and publishing. */
  event?: Record<string, unknown>;
}

export function surveyStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    async get(surveyId: string, { consistent = false } = {}): Promise<SurveyMeta> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: aggregationKeys.survey(surveyId), ConsistentRead: consistent }),
      );
      return surveyMetaOf(surveyId, result.Item);
    },

    async getMany(surveyIds: readonly string[]): Promise<Map<string, SurveyMeta>> {
      const items = await batchGetAll(db, tableName, surveyIds.map(aggregationKeys.survey), { consistentRead: true });
      return new Map(
        surveyIds.map((surveyId) => [
          surveyId,
          surveyMetaOf(surveyId, items.get(keyId(aggregationKeys.survey(surveyId)))),
        ]),
      );
    },

    /** Every survey the service has seen or configured. */
    async list(): Promise<string[]> {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': aggregationKeys.survey('').pk },
        ProjectionExpression: 'sk',
      });
      return items.map((item) => String(item.sk));
    },

    /**
     * Stores the configuration. `recount` bumps the configuration version, which the figures' generation then lags
     * until a rebuild; `applyNow` (for a survey with nothing counted yet) moves the active generation along with it.
     */
    async putConfig(
      surveyId: string,
      config: SurveyConfig,
      { recount, applyNow }: { recount: boolean; applyNow: boolean },
    ) {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: aggregationKeys.survey(surveyId),
          UpdateExpression:
            'SET config = :config, configVersion = if_not_exists(configVersion, :zero) + :bump, ' +
            'generationsVersion = if_not_exists(generationsVersion, :zero), ' +
            `activeGeneration = if_not_exists(activeGeneration, :zero)${
              applyNow ? ', activeConfigVersion = if_not_exists(configVersion, :zero) + :bump' : ''
            }`,
          ExpressionAttributeValues: { ':config': config, ':zero': 0, ':bump': recount ? 1 : 0 },
        }),
      );
    },

    /** Makes `generation` live next to the active one; false when the generations changed since `meta` was read. */
    async startGeneration(meta: SurveyMeta, generation: number): Promise<boolean> {
      return conditional(() =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: aggregationKeys.survey(meta.surveyId),
            UpdateExpression:
              'SET buildingGeneration = :generation, buildingConfigVersion = :configVersion, generationsVersion = :next',
            ConditionExpression: 'attribute_not_exists(buildingGeneration) AND generationsVersion = :read',
            ExpressionAttributeValues: {
              ':generation': generation,
              ':configVersion': meta.configVersion,
              ':next': meta.generationsVersion + 1,
              ':read': meta.generationsVersion,
            },
          }),
        ),
      );
    },

    /** Makes the generation being built the active one; false unless it is still the one being built. */
    async activateGeneration(surveyId: string, generation: number): Promise<boolean> {
      return conditional(() =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: aggregationKeys.survey(surveyId),
            UpdateExpression:
              'SET activeGeneration = buildingGeneration, activeConfigVersion = buildingConfigVersion, ' +
              'generationsVersion = generationsVersion + :one REMOVE buildingGeneration, buildingConfigVersion',
            ConditionExpression: 'buildingGeneration = :generation',
            ExpressionAttributeValues: { ':generation': generation, ':one': 1 },
          }),
        ),
      );
    },

    async getRebuild(surveyId: string): Promise<RebuildJob | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: aggregationKeys.rebuild(surveyId), ConsistentRead: true }),
      );
      if (!result.Item) return undefined;
      const { pk: _pk, sk: _sk, ...job } = result.Item;
      return job as RebuildJob;
    },

    async putRebuild(job: RebuildJob): Promise<void> {
      await db.send(
        new PutCommand({ TableName: tableName, Item: { ...aggregationKeys.rebuild(job.surveyId), ...job } }),
      );
    },

    /**
     * Records the progress of a page, conditional on the job still being at `from`: of two workers handed the same
     * page (a duplicate message) only one advances the job, and the other stops.
     */
    async advanceRebuild(job: RebuildJob, from: Record<string, unknown> | undefined): Promise<boolean> {
      const progress = {
        processed: job.processed,
        recounted: job.recounted,
        updatedAt: job.updatedAt,
        scanned: job.scanned,
      };
      const sets = Object.keys(progress).map((name) => `#${name} = :${name}`);
      return conditional(() =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: aggregationKeys.rebuild(job.surveyId),
            UpdateExpression: `SET ${[...sets, ...(job.cursor ? ['#cursor = :cursor'] : [])].join(', ')}${
              job.cursor ? '' : ' REMOVE #cursor'
            }`,
            ConditionExpression: `#jobId = :jobId AND #status = :running AND #scanned = :false AND ${
              from ? '#cursor = :from' : 'attribute_not_exists(#cursor)'
            }`,
            ExpressionAttributeNames: Object.fromEntries(
              [...Object.keys(progress), 'cursor', 'status', 'jobId'].map((name) => [`#${name}`, name]),
            ),
            ExpressionAttributeValues: {
              ...Object.fromEntries(Object.entries(progress).map(([name, value]) => [`:${name}`, value])),
              ':jobId': job.jobId,
              ':running': 'running',
              ':false': false,
              ...(job.cursor ? { ':cursor': job.cursor } : {}),
              ...(from ? { ':from': from } : {}),
            },
          }),
        ),
      );
    },

    async getAlert(surveyId: string, ruleId: string): Promise<AlertState> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: aggregationKeys.alert(surveyId, ruleId), ConsistentRead: true }),
      );
      if (!result.Item) return { status: 'ok', announced: false };
      const { pk: _pk, sk: _sk, ...state } = result.Item;
      return state as AlertState;
    },

    /** The ids of a survey's raised alerts whose id starts with `prefix`: one query, however many watches it has. */
    async raisedAlerts(surveyId: string, prefix: string): Promise<string[]> {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#status = :raised',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pk': aggregationKeys.alert(surveyId, '').pk,
          ':prefix': prefix,
          ':raised': 'raised',
        },
        ProjectionExpression: 'sk',
        ConsistentRead: true,
      });
      return items.map((item) => String(item.sk));
    },

    /** Moves an alert from the state read to `next`; false when another evaluation moved it first. */
    async transitionAlert(surveyId: string, ruleId: string, read: AlertState, next: AlertState): Promise<boolean> {
      return conditional(() =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...aggregationKeys.alert(surveyId, ruleId), ...next },
            ...(read.alertId
              ? {
                  ConditionExpression: 'alertId = :alertId AND #status = :status AND announced = :announced',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: {
                    ':alertId': read.alertId,
                    ':status': read.status,
                    ':announced': read.announced,
                  },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        ),
      );
    },
  };
}
export type SurveyStore = ReturnType<typeof surveyStore>;

async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
