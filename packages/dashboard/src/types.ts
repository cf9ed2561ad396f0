/**
 * What the dashboard reads from the cxloop API, as it arrives on the wire. `test/api-types.unit.test.ts` checks at
 * compile time that the services' own answer types still fit these, so a change of the API breaks the typecheck here.
 */

export const scales = ['nps', 'csat', 'ces'] as const;
export type Scale = (typeof scales)[number];

export const intervals = ['day', 'week', 'month'] as const;
export type Interval = (typeof intervals)[number];

export interface Range {
  readonly lower: number;
  readonly upper: number;
}

export interface ProportionEstimate {
  readonly count: number;
  readonly percent: number;
  readonly interval: Range;
}

export interface MeanEstimate {
  readonly mean: number;
  readonly standardDeviation: number | null;
  readonly interval: Range | null;
}

/** The figures of one period, point or group; which fields exist depends on `scale`. */
export interface Figures {
  readonly responses: number;
  readonly histogram: readonly number[];
  readonly scale: Scale;
  readonly n: number;
  /** NPS */
  readonly promoters?: number;
  readonly passives?: number;
  readonly detractors?: number;
  readonly promoterPercent?: number | null;
  readonly passivePercent?: number | null;
  readonly detractorPercent?: number | null;
  readonly nps?: number | null;
  readonly marginOfError?: number | null;
  readonly interval?: Range | null;
  /** CSAT */
  readonly topTwoBox?: ProportionEstimate | null;
  /** CSAT and CES */
  readonly mean?: MeanEstimate | null;
  /** CES */
  readonly easy?: ProportionEstimate | null;
}

export interface Comparison {
  readonly metric: string;
  readonly delta: number | null;
  readonly pValue: number | null;
  readonly significant: boolean;
}

export type PeriodFigures = { readonly from: string; readonly to: string } & Figures;

export type MetricPoint = {
  readonly bucket: string;
  readonly start: string;
  readonly end: string;
  readonly comparison: Comparison;
} & Figures;

export type GroupFigures = Omit<Figures, 'scale'> & {
  readonly value: string;
  readonly previous: PeriodFigures | null;
  readonly comparison: Comparison | null;
};

/** `GET /v1/metrics` */
export type MetricsAnswer = {
  readonly surveyId: string;
  readonly scales: readonly Scale[];
  readonly timeZone: string;
  readonly from: string;
  readonly to: string;
  readonly bucketInterval: string | null;
  readonly groupBy: string | null;
  readonly filter: Readonly<Record<string, string>>;
  readonly confidence: number;
  readonly previous: PeriodFigures | null;
  readonly comparison: Comparison | null;
  readonly points?: readonly MetricPoint[];
  readonly groups?: readonly GroupFigures[];
} & Figures;

/** `GET /v1/surveys` (admin) */
export interface Survey {
  readonly id: string;
  readonly name: string;
  readonly type: Scale;
  readonly timeZone: string;
  readonly status?: string;
}

/** `GET /v1/aggregation/surveys/{surveyId}/config` (admin) */
export interface AggregationSettings {
  readonly config: {
    readonly segmentKeys: readonly string[];
    readonly combinations: readonly (readonly [string, string])[];
  };
  readonly timeZone: string;
  readonly scales: readonly Scale[];
}

export interface EvidenceSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface LabelWithEvidence {
  readonly id: string;
  readonly score: number;
  readonly evidence: readonly EvidenceSpan[];
}

/** One item of `GET /v1/feedback` (admin) */
export interface FeedbackItem {
  readonly feedbackId: string;
  readonly surveyId?: string;
  readonly score?: number;
  readonly text?: string;
  readonly channel: string;
  readonly sentiment: { readonly label: Sentiment; readonly score: number };
  readonly topics: readonly LabelWithEvidence[];
  readonly occurredAt: string;
}
export type Sentiment = 'positive' | 'neutral' | 'negative';

export interface FeedbackPage {
  readonly items: readonly FeedbackItem[];
  readonly nextCursor: string | null;
}

export type CasePriority = 'low' | 'normal' | 'high';

/** A follow-up case (`GET /v1/followups`, `GET /v1/followups/{caseId}`, admin). */
export interface FollowUpCase {
  readonly caseId: string;
  readonly feedbackId: string;
  readonly surveyId?: string;
  readonly status: string;
  readonly reason: string;
  readonly priority: CasePriority;
  readonly owner?: string;
  readonly score?: number;
  readonly text?: string;
  readonly sentiment?: { readonly label: Sentiment; readonly score: number };
  readonly openedAt: string;
  readonly dueAt: string;
  readonly acknowledgedAt?: string;
  readonly firstContactAt?: string;
  readonly resolvedAt?: string;
  readonly closedAt?: string;
  readonly notes?: readonly { readonly at: string; readonly author: string; readonly text: string }[];
  readonly escalations?: readonly { readonly level: number; readonly at: string }[];
}

export interface CasePage {
  readonly items: readonly FollowUpCase[];
  readonly nextCursor: string | null;
}

/** `GET /v1/followup-metrics` (admin): the closed loop's figures; an API without the route answers 404. */
export interface FollowUpMetrics {
  readonly cases: number;
  readonly slaSettled: number;
  readonly contactedWithinSla: number;
  /** Absent (or null) while no case has settled its SLA; likewise the medians. */
  readonly shareContactedWithinSla?: number | null;
  readonly medianTimeToFirstContactMs?: number | null;
  readonly medianTimeToResolutionMs?: number | null;
  readonly byOwner: readonly { readonly owner: string; readonly open: number; readonly overdue: number }[];
}

/** `GET /v1/taxonomy` (admin): topic names per language. */
export interface TaxonomyAnswer {
  readonly taxonomy: { readonly topics: readonly { readonly id: string; readonly names: Record<string, string> }[] };
}

/** `config.json`, deployed next to the app. */
export interface DashboardConfig {
  /** Base URL of the API, resolved against the page: `/` (the default) is the dashboard's own origin. */
  readonly apiUrl?: string;
}
