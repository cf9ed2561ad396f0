/**
 * HTTP routes of the aggregation service: the CDK app creates exactly these, the handlers implement exactly these,
 * the OpenAPI document and the dashboard's types are derived from them.
 */
import { defineRoute, delightedRoutes, pageOf } from '@cxloop/http-contracts';
import * as z from 'zod';
import { bucketIntervals, delightedMetricsQuerySchema, scoreScales } from './domain/metrics';
import { surveyConfigSchema } from './domain/survey-config';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const surveyId = z.string().min(1).max(100);
const surveyPath = z.object({ surveyId });

const scale = z.enum(scoreScales);
const range = z.object({ lower: z.number(), upper: z.number() });
const proportionEstimate = z.object({ count: z.number(), percent: z.number(), interval: range });
const meanEstimate = z.object({
  mean: z.number(),
  standardDeviation: z.number().nullable(),
  interval: range.nullable(),
});

/** The figures of one period, point or group; which fields exist depends on `scale`. */
export const figuresSchema = z.object({
  responses: z.number(),
  histogram: z.array(z.number()).readonly(),
  scale,
  n: z.number(),
  promoters: z.number().optional().describe('NPS'),
  passives: z.number().optional().describe('NPS'),
  detractors: z.number().optional().describe('NPS'),
  promoterPercent: z.number().nullable().optional(),
  passivePercent: z.number().nullable().optional(),
  detractorPercent: z.number().nullable().optional(),
  nps: z.number().nullable().optional(),
  marginOfError: z.number().nullable().optional(),
  interval: range.nullable().optional(),
  topTwoBox: proportionEstimate.nullable().optional().describe('CSAT'),
  mean: meanEstimate.nullable().optional().describe('CSAT and CES'),
  easy: proportionEstimate.nullable().optional().describe('CES'),
});

const comparison = z.object({
  metric: z.string(),
  delta: z.number().nullable(),
  pValue: z.number().nullable(),
  significant: z.boolean(),
});
const periodFigures = figuresSchema.extend({ from: z.string(), to: z.string() });
const metricPoint = figuresSchema.extend({
  bucket: z.string(),
  start: z.string(),
  end: z.string(),
  comparison,
});
const groupFigures = figuresSchema.omit({ scale: true }).extend({
  value: z.string(),
  previous: periodFigures.nullable(),
  comparison: comparison.nullable(),
});

export const metricsAnswerSchema = figuresSchema.extend({
  surveyId: z.string(),
  scales: z.array(scale).readonly(),
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  bucketInterval: z.string().nullable(),
  groupBy: z.string().nullable(),
  filter: z.record(z.string(), z.string()),
  confidence: z.number(),
  previous: periodFigures.nullable(),
  comparison: comparison.nullable(),
  points: z.array(metricPoint).readonly().optional(),
  groups: z.array(groupFigures).readonly().optional(),
});

const evidenceSpan = z.object({ start: z.number(), end: z.number(), text: z.string() });
const labelWithEvidence = z.object({ id: z.string(), score: z.number(), evidence: z.array(evidenceSpan).readonly() });
export const feedbackItemSchema = z.object({
  feedbackId: z.string(),
  surveyId: z.string().optional(),
  score: z.number().optional(),
  text: z.string().optional(),
  channel: z.string(),
  sentiment: z.object({ label: z.enum(['positive', 'neutral', 'negative']), score: z.number() }),
  topics: z.array(labelWithEvidence).readonly(),
  intents: z.array(labelWithEvidence).readonly(),
  occurredAt: z.string(),
});

export const surveySettingsSchema = z.object({
  surveyId: z.string(),
  config: z.object({
    segmentKeys: z.array(z.string()).readonly(),
    combinations: z.array(z.tuple([z.string(), z.string()]).readonly()).readonly(),
  }),
  configVersion: z.number(),
  timeZone: z.string(),
  scales: z.array(scale).readonly(),
  activeGeneration: z.number(),
  buildingGeneration: z.number().nullable(),
  rebuildRecommended: z.boolean().describe('Segment keys, combinations or the time zone changed: rebuild to apply'),
});

const rebuildProgress = z.object({
  surveyId: z.string(),
  status: z.string(),
  processed: z.number(),
  total: z.number(),
  percent: z.number(),
});

const metrics = defineRoute({
  method: 'GET',
  path: '/v1/metrics',
  auth: 'read:metrics',
  summary: "A survey's figures over a period, with margins of error, trend points or groups",
  description: 'Segments are filtered with `filter[<dimension>]=<value>` parameters (any number of them).',
  request: {
    query: z.object({
      surveyId,
      from: day.optional(),
      to: day.optional(),
      interval: z.enum(bucketIntervals).optional(),
      groupBy: z.string().min(1).max(64).optional(),
      scale: scale.optional(),
      confidence: z.coerce.number().min(0.5).max(0.999).default(0.95),
    }),
  },
  responses: { 200: metricsAnswerSchema },
});

const interval = range.nullable();
const driver = z.object({
  id: z.string().describe('The topic or intent'),
  n: z.number().describe('Answers that mention it'),
  share: z.number().describe('Their share of all answers, 0–1'),
  score: z.number().nullable().describe('The score of the answers that mention it'),
  scoreWithout: z.number().nullable().describe('The score of the answers that do not'),
  interval,
  intervalWithout: interval,
  pointsAtStake: z
    .number()
    .nullable()
    .describe(
      "How much the survey's score would rise if its detractors were passives (NPS), or its answers scored like the rest",
    ),
  pValue: z.number().nullable(),
  smallSample: z.boolean().describe('Too few answers with or without it to rank it with confidence'),
});

const drivers = defineRoute({
  method: 'GET',
  path: '/v1/metrics/drivers',
  auth: 'read:metrics',
  summary: 'What drives the score: each topic and intent with the score with and without it and the points at stake',
  description:
    'Ranked by points at stake, most first. Segments are filtered with `filter[<dimension>]=<value>` as for ' +
    '`GET /v1/metrics`; with topics that needs the segment × topic combination in the survey configuration.',
  request: {
    query: z.object({
      surveyId,
      from: day.optional(),
      to: day.optional(),
      scale: scale.optional(),
      confidence: z.coerce.number().min(0.5).max(0.999).default(0.95),
    }),
  },
  responses: {
    200: z.object({
      surveyId: z.string(),
      scale,
      from: z.string(),
      to: z.string(),
      filter: z.record(z.string(), z.string()),
      confidence: z.number(),
      n: z.number(),
      score: z.number().nullable(),
      interval,
      topics: z.array(driver),
      intents: z.array(driver),
    }),
  },
});

const feedback = defineRoute({
  method: 'GET',
  path: '/v1/feedback',
  auth: 'admin',
  summary: 'The feedback explorer: feedback newest first, with labels and their evidence',
  request: {
    query: z
      .object({
        surveyId: surveyId.optional(),
        from: day.optional(),
        to: day.optional(),
        topic: z.string().min(1).max(200).optional(),
        sentiment: z.enum(['positive', 'neutral', 'negative']).optional(),
        intent: z.string().min(1).max(200).optional(),
        minScore: z.coerce.number().optional(),
        maxScore: z.coerce.number().optional(),
        limit: z.coerce.number().int().min(1).max(100).default(25),
        cursor: z.string().optional(),
      })
      .refine(
        (query) => query.minScore === undefined || query.maxScore === undefined || query.minScore <= query.maxScore,
        { message: 'must not be below minScore', path: ['maxScore'] },
      ),
  },
  responses: { 200: pageOf(feedbackItemSchema).extend({ timeZone: z.string() }) },
});

const getConfig = defineRoute({
  method: 'GET',
  path: '/v1/aggregation/surveys/{surveyId}/config',
  auth: 'admin',
  summary: "A survey's segment keys, combinations, time zone and scales",
  request: { path: surveyPath },
  responses: { 200: surveySettingsSchema },
});

const getRebuild = defineRoute({
  method: 'GET',
  path: '/v1/aggregation/surveys/{surveyId}/rebuild',
  auth: 'admin',
  summary: "The progress of a survey's last rebuild",
  request: { path: surveyPath },
  responses: { 200: rebuildProgress },
  errors: { 404: 'The survey was never rebuilt' },
});

const putConfig = defineRoute({
  method: 'PUT',
  path: '/v1/aggregation/surveys/{surveyId}/config',
  auth: 'admin',
  summary: "Sets a survey's segment keys and combinations; new responses are counted under them at once",
  request: { path: surveyPath, body: surveyConfigSchema },
  responses: { 200: surveySettingsSchema },
});

const startRebuild = defineRoute({
  method: 'POST',
  path: '/v1/aggregation/surveys/{surveyId}/rebuild',
  auth: 'admin',
  summary: "Recounts a survey's figures from its feedback under its current configuration",
  request: { path: surveyPath },
  responses: { 202: rebuildProgress },
  errors: { 409: 'A rebuild of the survey is already running' },
});

/** Served by the read-only metrics function. */
export const aggregationReadRoutes = [metrics, drivers, feedback, getConfig, getRebuild] as const;

/** Served by the read-only metrics function too: Delighted's metrics of the survey the key is bound to. */
export const aggregationDelightedRoutes = [
  ...delightedRoutes({
    method: 'GET',
    path: '/metrics',
    summary: "Delighted's metrics: NPS and the counts and percentages of promoters, passives and detractors",
    description:
      '`since` and `until` are Unix seconds (responses created on or after / on or before); `trend`, a ' +
      "Delighted trend (a saved segment), is a cxloop segment here: `<property>:<value>` of one of the survey's " +
      'segment keys (PUT /v1/aggregation/surveys/{surveyId}/config), e.g. `plan:pro`.',
    request: { query: delightedMetricsQuerySchema },
    responses: {
      200: z.object({
        nps: z.number(),
        promoter_count: z.number(),
        promoter_percent: z.number(),
        passive_count: z.number(),
        passive_percent: z.number(),
        detractor_count: z.number(),
        detractor_percent: z.number(),
        response_count: z.number(),
      }),
    },
  }),
] as const;

/** Served by the admin function, which may write configuration and start rebuilds. */
export const aggregationAdminRoutes = [putConfig, startRebuild] as const;
