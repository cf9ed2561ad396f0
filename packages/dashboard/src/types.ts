/**
 * What the dashboard reads from the cxloop API, as it arrives on the wire: the response schemas of the services'
 * route contracts. Imported as types only, so no service code (nor zod) reaches the browser bundle, and a change of
 * a contract breaks the typecheck here.
 */
import type { aggregationReadRoutes, feedbackItemSchema, figuresSchema } from '@cxloop/aggregation/routes';
import type { categorisationAdminRoutes } from '@cxloop/categorisation/routes';
import type { collectionAdminRoutes } from '@cxloop/collection/routes';
import type { caseAdminRoutes } from '@cxloop/followup/routes/cases';
import type { RouteAnswer } from '@cxloop/http-contracts';
import type * as z from 'zod';

type Read<K extends (typeof aggregationReadRoutes)[number]['key']> = RouteAnswer<typeof aggregationReadRoutes, K>;
type Cases<K extends (typeof caseAdminRoutes)[number]['key']> = RouteAnswer<typeof caseAdminRoutes, K>;

/** `GET /v1/metrics` */
export type MetricsAnswer = Read<'GET /v1/metrics'>;

/** `GET /v1/metrics/drivers`: topics and intents ranked by the points they cost. */
export type DriversAnswer = Read<'GET /v1/metrics/drivers'>;
export type Driver = DriversAnswer['topics'][number];

/** The figures of one period, point or group; which fields exist depends on `scale`. */
export type Figures = z.output<typeof figuresSchema>;
export type Scale = Figures['scale'];
export type Range = NonNullable<Figures['interval']>;
export type Comparison = NonNullable<MetricsAnswer['comparison']>;
export type PeriodFigures = NonNullable<MetricsAnswer['previous']>;
export type MetricPoint = NonNullable<MetricsAnswer['points']>[number];
export type GroupFigures = NonNullable<MetricsAnswer['groups']>[number];

export const scales = ['nps', 'csat', 'ces'] as const satisfies readonly Scale[];
/** The trend intervals the dashboard offers (the API also counts by hour). */
export const intervals = ['day', 'week', 'month'] as const satisfies readonly NonNullable<
  MetricsAnswer['bucketInterval']
>[];
export type Interval = (typeof intervals)[number];

/** `GET /v1/surveys` (admin) */
export type Survey = RouteAnswer<typeof collectionAdminRoutes, 'GET /v1/surveys'>['items'][number];
export type SurveyAnswer = RouteAnswer<typeof collectionAdminRoutes, 'GET /v1/surveys/{surveyId}'>;

/** `GET /v1/aggregation/surveys/{surveyId}/config` (admin) */
export type AggregationSettings = Read<'GET /v1/aggregation/surveys/{surveyId}/config'>;

/** One item of `GET /v1/feedback` (admin) */
export type FeedbackItem = z.output<typeof feedbackItemSchema>;
export type Sentiment = FeedbackItem['sentiment']['label'];
export type FeedbackPage = Read<'GET /v1/feedback'>;

/** A follow-up case (`GET /v1/followups`, `GET /v1/followups/{caseId}`, admin). */
export type CasePage = Cases<'GET /v1/followups'>;
export type FollowUpCase = CasePage['items'][number];
export type CasePriority = FollowUpCase['priority'];

/** `GET /v1/followup-metrics` (admin): the closed loop's figures; an API without the route answers 404. */
export type FollowUpMetrics = Cases<'GET /v1/followup-metrics'>;

/** `GET /v1/followup-outreach` (admin): a survey's outreach for segments whose metric fell. */
export type OutreachPage = Cases<'GET /v1/followup-outreach'>;
export type Outreach = OutreachPage['items'][number];

/** `GET /v1/taxonomy` (admin): topic names per language. */
export type TaxonomyAnswer = RouteAnswer<typeof categorisationAdminRoutes, 'GET /v1/taxonomy'>;

/** `config.json`, deployed next to the app. */
export interface DashboardConfig {
  /** Base URL of the API, resolved against the page: `/` (the default) is the dashboard's own origin. */
  readonly apiUrl?: string;
}
