import * as z from 'zod';
import { defineEvent, EventSources } from './contract';

const periodFiguresSchema = z.object({
  from: z.iso.date().describe("First day of the window, in the survey's time zone"),
  to: z.iso.date().describe('Last day of the window (included)'),
  n: z.number().int().nonnegative().describe('Answers in the window'),
  value: z.number().nullable().describe('The metric over the window; null without answers'),
});

export const MetricAlertRaised = defineEvent({
  source: EventSources.aggregation,
  detailType: 'MetricAlertRaised',
  version: 1,
  description:
    "A survey's metric dropped significantly between two windows, as an alert rule of the survey's aggregation config asked to watch. Raised once per drop: the rule raises again only after the metric has recovered. Consumers de-duplicate on alertId.",
  consumers: ['followup'],
  data: z.object({
    alertId: z.string().min(1),
    surveyId: z.string().min(1),
    ruleId: z.string().min(1),
    scale: z.enum(['nps', 'csat', 'ces']),
    metric: z
      .enum(['nps', 'topTwoBoxPercent', 'meanScore', 'responsesPerDay'])
      .describe('NPS in points, CSAT top-2-box in percent, CES mean on 1–7; answers a day for a response-rate drop'),
    kind: z
      .enum(['drop', 'below_rest', 'response_rate'])
      .optional()
      .describe(
        'drop: against the previous window (absent means drop); below_rest: the segment against the rest of the survey in the same window; response_rate: answers stopped arriving',
      ),
    qValue: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        'The p-value adjusted for the many segments tested together (Benjamini–Hochberg), for scheduled checks',
      ),
    tested: z.number().int().positive().optional().describe('How many tests the scheduled check controlled together'),
    drivers: z
      .array(
        z.object({
          id: z.string().min(1),
          pointsAtStake: z.number().nullable(),
          previousPointsAtStake: z.number().nullable(),
          change: z.number().nullable().describe('pointsAtStake − previousPointsAtStake'),
        }),
      )
      .optional()
      .describe(
        "The segment's topics whose points at stake grew most against the previous window; only where the survey counts the segment × topic combination",
      ),
    segment: z
      .object({ dimension: z.string().min(1), value: z.string().min(1) })
      .optional()
      .describe('The segment watched (e.g. plan = pro); the whole survey when absent'),
    current: periodFiguresSchema,
    previous: periodFiguresSchema,
    delta: z.number().describe('current − previous, in the units of the metric (negative: a drop)'),
    pValue: z.number().min(0).max(1).describe('Two-sided p-value of "no change"'),
    confidence: z.number().gt(0).lt(1).describe('The confidence level the rule tests at'),
    raisedAt: z.iso.datetime({ offset: true }),
  }),
  example: {
    alertId: 'alert_5b0f0c1e-2f7d-4c4a-9a61-0d3c1f6f2e11',
    surveyId: 'srv_01JD8X1A2B3C4D5E6F7G8H9J0K',
    ruleId: 'weekly-drop',
    scale: 'nps',
    metric: 'nps',
    segment: { dimension: 'plan', value: 'pro' },
    current: { from: '2026-11-14', to: '2026-11-20', n: 412, value: 18.2 },
    previous: { from: '2026-11-07', to: '2026-11-13', n: 398, value: 31.9 },
    kind: 'drop',
    delta: -13.7,
    pValue: 0.0004,
    qValue: 0.0031,
    tested: 18,
    drivers: [{ id: 'delivery', pointsAtStake: 14.1, previousPointsAtStake: 6.2, change: 7.9 }],
    confidence: 0.95,
    raisedAt: '2026-11-20T09:15:02.000Z',
  },
});
