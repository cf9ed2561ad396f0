import * as z from 'zod';
import { assertTimeZone, MIN_ANSWERS_FOR_MEAN_TEST, scoreScales } from './metrics';

/**
 * What the aggregation service keeps per survey beyond the whole-survey figures: the customer attributes declared as
 * segment keys, which pairs of dimensions are crossed, the alert rules and the segment watch. Every dimension is one item per bucket, so
 * the configuration bounds the writes a response costs: 1 + 6 built-in dimensions + at most 10 segment keys + at most
 * 5 pairs, never every combination of them.
 */

/** Dimensions every survey has, besides `all` (the whole survey). */
export const builtInDimensions = ['channel', 'source', 'language', 'topic', 'sentiment', 'intent'] as const;
export type BuiltInDimension = (typeof builtInDimensions)[number];

/** Dimensions where one response may have several values (or none, counted as `(none)`). */
export const multiValuedDimensions: readonly string[] = ['topic', 'intent'];

/** The whole survey, the dimension with the single value {@link ALL_VALUE}. */
export const ALL_DIMENSION = 'all';
export const ALL_VALUE = '*';

export const configLimits = {
  segmentKeys: 10,
  combinations: 5,
  alertRules: 10,
} as const;

const reservedDimensionNames: readonly string[] = [ALL_DIMENSION, ...builtInDimensions];

const segmentKeySchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/,
    'expected an attribute name: a letter, then letters, digits, "_", "." or "-"',
  )
  .refine((key) => !reservedDimensionNames.includes(key), {
    message: `must not be a built-in dimension (${reservedDimensionNames.join(', ')})`,
  });

const dimensionNameSchema = z.string().min(1).max(64);

const timeZoneSchema = z.string().refine(
  (timeZone) => {
    try {
      assertTimeZone(timeZone);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as "Europe/Moscow"' },
);

export const alertRuleSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected 1–40 characters of a–z, 0–9 or "-"'),
  metric: z
    .enum(scoreScales)
    .optional()
    .describe("The scale whose headline metric is watched (NPS, CSAT top-2-box, CES mean); the survey's own if absent"),
  segment: z.object({ dimension: dimensionNameSchema, value: z.string().min(1).max(200) }).optional(),
  windowDays: z.number().int().min(1).max(90).default(7),
  confidence: z.number().min(0.5).max(0.999).default(0.95),
  minDrop: z.number().min(0).default(0).describe('Smallest drop worth an alert, in the units of the metric'),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  { id: 'weekly-drop', windowDays: 7, confidence: 0.95, minDrop: 0 },
];

export const segmentWatchSchema = z.object({
  enabled: z
    .boolean()
    .default(true)
    .describe("Whether the scheduled check watches the survey's segments and answer rate"),
  windowDays: z
    .number()
    .int()
    .min(1)
    .max(90)
    .default(7)
    .describe('Each compared window, current and previous, in days'),
  minAnswers: z
    .number()
    .int()
    // Below this the comparisons give no p-value (the normal approximation does not hold), so nothing would be tested.
    .min(MIN_ANSWERS_FOR_MEAN_TEST)
    .max(100_000)
    .default(30)
    .describe('Fewest answers a segment (and what it is compared with) needs in a window before it is tested'),
  falseDiscoveryRate: z
    .number()
    .min(0.001)
    .max(0.2)
    .default(0.05)
    .describe(
      "The expected share of false alarms among the survey's alerts, across all its segments (Benjamini–Hochberg)",
    ),
});
export type SegmentWatchConfig = z.output<typeof segmentWatchSchema>;

export const surveyConfigSchema = z
  .object({
    timeZone: timeZoneSchema.optional().describe("Buckets' time zone; the survey's own (from its events) if absent"),
    segmentKeys: z.array(segmentKeySchema).max(configLimits.segmentKeys).default([]),
    combinations: z
      .array(z.tuple([dimensionNameSchema, dimensionNameSchema]))
      .max(configLimits.combinations)
      .default([]),
    alertRules: z
      .array(alertRuleSchema)
      .max(configLimits.alertRules)
      .default(() => [...DEFAULT_ALERT_RULES]),
    segmentWatch: segmentWatchSchema
      .default(() => segmentWatchSchema.parse({}))
      .describe('The scheduled check of every segment key value, on by default'),
  })
  .superRefine((config, context) => {
    const known = new Set<string>([...builtInDimensions, ...config.segmentKeys]);
    if (new Set(config.segmentKeys).size !== config.segmentKeys.length) {
      context.addIssue({ code: 'custom', path: ['segmentKeys'], message: 'lists a key twice' });
    }
    const seen = new Set<string>();
    config.combinations.forEach((pair, index) => {
      pair.forEach((dimension, side) => {
        if (!known.has(dimension)) {
          context.addIssue({
            code: 'custom',
            path: ['combinations', index, side],
            message: `not a built-in dimension or a declared segment key: ${dimension}`,
          });
        }
      });
      const id = combinationId(pair[0], pair[1]);
      if (pair[0] === pair[1] || seen.has(id)) {
        context.addIssue({
          code: 'custom',
          path: ['combinations', index],
          message: 'pairs two distinct dimensions once',
        });
      }
      seen.add(id);
    });
    const ruleIds = new Set<string>();
    config.alertRules.forEach((rule, index) => {
      if (ruleIds.has(rule.id)) {
        context.addIssue({ code: 'custom', path: ['alertRules', index, 'id'], message: 'is used by another rule' });
      }
      ruleIds.add(rule.id);
      if (rule.segment && !known.has(rule.segment.dimension)) {
        context.addIssue({
          code: 'custom',
          path: ['alertRules', index, 'segment', 'dimension'],
          message: `not a dimension of this survey: ${rule.segment.dimension}`,
        });
      }
    });
  });
export type SurveyConfig = z.output<typeof surveyConfigSchema>;

export const defaultSurveyConfig: SurveyConfig = surveyConfigSchema.parse({});

/** The dimension that crosses two others, named the same whichever order they are given in. */
export function combinationId(first: string, second: string): string {
  return [first, second].sort().join('+');
}

/** Every dimension a response is counted in under this configuration, `all` first. */
export function dimensionsOf(config: SurveyConfig): string[] {
  return [
    ALL_DIMENSION,
    ...builtInDimensions,
    ...config.segmentKeys,
    ...config.combinations.map(([first, second]) => combinationId(first, second)),
  ];
}

/** The two dimensions a combination crosses, in the order its values are written; undefined for a plain dimension. */
export function combinationParts(dimension: string): [string, string] | undefined {
  const parts = dimension.split('+');
  return parts.length === 2 ? [parts[0]!, parts[1]!] : undefined;
}
