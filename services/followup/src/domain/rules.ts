import {
  type Categorisation,
  type Feedback,
  feedbackKindSchema,
  feedbackSourceSchema,
  intentSchema,
  sentimentLabels,
} from '@cxloop/events';
import * as z from 'zod';
import { httpsLinkSchema } from './url-policy';

/**
 * Follow-up rules: conditions on categorised feedback and the actions they plan. A rule set is versioned as a whole;
 * the admin API stores each version and the consumer evaluates the active one.
 */

export const scoreCategories = [
  'detractor',
  'passive',
  'promoter',
  'dissatisfied',
  'neutral',
  'satisfied',
  'hard',
  'easy',
] as const;
export type ScoreCategory = (typeof scoreCategories)[number];

export const scorePolarities = ['negative', 'neutral', 'positive'] as const;
export type ScorePolarity = (typeof scorePolarities)[number];

const publicReviewSources = ['trustpilot', 'google_play', 'app_store', 'google_business_profile'] as const;

/**
 * The category of a score on its own scale: NPS 0–6 detractor, 7–8 passive, 9–10 promoter; CSAT 1–2 dissatisfied,
 * 3 neutral, 4–5 satisfied; CES 1–3 hard, 4 neutral, 5–7 easy; star ratings and reviews like CSAT. Scales other than
 * the standard ones fall back to the normalised score. Undefined when the feedback has no score.
 */
export function scoreCategoryOf(feedback: Pick<Feedback, 'kind' | 'score'>): ScoreCategory | undefined {
  const { score } = feedback;
  if (!score) return undefined;
  switch (feedback.kind) {
    case 'nps':
      if (score.value <= 6) return 'detractor';
      return score.value <= 8 ? 'passive' : 'promoter';
    case 'ces': {
      const onStandardScale = score.min === 1 && score.max === 7;
      if (onStandardScale ? score.value <= 3 : score.normalised <= 1 / 3) return 'hard';
      if (onStandardScale ? score.value >= 5 : score.normalised >= 2 / 3) return 'easy';
      return 'neutral';
    }
    case 'csat':
    case 'rating':
    case 'review': {
      const onStandardScale = score.min === 1 && score.max === 5;
      if (onStandardScale ? score.value <= 2 : score.normalised <= 0.25) return 'dissatisfied';
      if (onStandardScale ? score.value >= 4 : score.normalised >= 0.75) return 'satisfied';
      return 'neutral';
    }
    case 'text':
      return undefined;
  }
}

export function polarityOf(category: ScoreCategory): ScorePolarity {
  switch (category) {
    case 'detractor':
    case 'dissatisfied':
    case 'hard':
      return 'negative';
    case 'promoter':
    case 'satisfied':
    case 'easy':
      return 'positive';
    case 'passive':
    case 'neutral':
      return 'neutral';
  }
}

const attributeValueSchema = z.union([z.string(), z.number(), z.boolean()]);

/**
 * One clause of a rule's `when`: every field given must match (AND); a list field matches when any of its values
 * does (OR). An empty clause matches all feedback.
 */
export const conditionSchema = z
  .object({
    kinds: z.array(feedbackKindSchema).min(1).optional(),
    scoreCategories: z.array(z.enum(scoreCategories)).min(1).optional(),
    scorePolarities: z.array(z.enum(scorePolarities)).min(1).optional(),
    sentiments: z.array(z.enum(sentimentLabels)).min(1).optional(),
    topics: z.array(z.string().min(1)).min(1).optional().describe('Any of these topic ids was found'),
    intents: z.array(intentSchema).min(1).optional(),
    churnRiskAtLeast: z.number().min(0).max(1).optional(),
    sources: z.array(feedbackSourceSchema).min(1).optional(),
    channels: z.array(z.string().min(1)).min(1).optional(),
    attributes: z
      .record(z.string().min(1), z.array(attributeValueSchema).min(1))
      .optional()
      .describe('Customer attribute → accepted values (segment, plan, region…); every attribute listed must match'),
  })
  .strict();
export type Condition = z.infer<typeof conditionSchema>;

export const caseRoutingSchema = z.discriminatedUnion('to', [
  z.object({ to: z.literal('team'), team: z.string().min(1) }).describe('A fixed team'),
  z.object({ to: z.literal('topic_team') }).describe("The team of the feedback's strongest routed topic"),
  z.object({ to: z.literal('account_owner') }).describe("The customer's account owner, from their attributes"),
]);
export type CaseRouting = z.infer<typeof caseRoutingSchema>;

export const messageChannels = ['email', 'slack', 'webhook', 'zendesk'] as const;
export const messageChannelSchema = z.enum(messageChannels);
export type MessageChannel = z.infer<typeof messageChannelSchema>;

export const casePriorities = ['low', 'normal', 'high'] as const;
export type CasePriority = (typeof casePriorities)[number];

export const actionSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('open_case'),
    reason: z.string().min(1),
    routing: caseRoutingSchema,
    priority: z
      .enum([...casePriorities, 'auto'])
      .default('auto')
      .describe('auto: high when churn risk is at least 0.5 or the sentiment is negative, else normal'),
    slaHours: z
      .number()
      .positive()
      .max(24 * 30)
      .optional()
      .describe("First-contact deadline after opening; the follow-up config's SLA for the reason when absent"),
  }),
  z.object({
    type: z.literal('send_message'),
    channel: messageChannelSchema,
    template: z.string().min(1),
  }),
  z.object({
    type: z.literal('invite_review'),
    template: z.string().min(1),
    reviewUrl: httpsLinkSchema.optional().describe("Where to leave the review; the config's reviewUrl when absent"),
  }),
  z.object({
    type: z.literal('notify'),
    channel: z.enum(['slack', 'webhook', 'email']),
    target: z.string().min(1).optional().describe('Slack webhook, endpoint or mailbox name; the default when absent'),
  }),
]);
export type RuleAction = z.infer<typeof actionSchema>;

export const ruleSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  name: z.string().min(1).max(200),
  enabled: z.boolean().default(true),
  when: z.array(conditionSchema).min(1).describe('The rule matches when any clause matches'),
  actions: z.array(actionSchema).min(1),
  onMatch: z.enum(['stop', 'continue']).default('stop').describe('Whether later rules are evaluated after a match'),
});
export type Rule = z.infer<typeof ruleSchema>;

/** The rules of a set, in evaluation order, with unique ids. */
export const rulesSchema = z
  .array(ruleSchema)
  .max(200)
  .refine((rules) => new Set(rules.map((rule) => rule.id)).size === rules.length, {
    message: 'rule ids must be unique',
  });

export const ruleSetSchema = z.object({
  version: z.number().int().positive(),
  rules: rulesSchema,
});
export type RuleSet = z.infer<typeof ruleSetSchema>;
export type RuleSetInput = z.input<typeof ruleSetSchema>;

export const defaultRuleSet: RuleSet = ruleSetSchema.parse({
  version: 1,
  rules: [
    {
      id: 'negative-public-review',
      name: 'Negative review on a public site → case for the support team',
      when: [
        { sources: [...publicReviewSources], scorePolarities: ['negative'] },
        { sources: [...publicReviewSources], sentiments: ['negative'] },
      ],
      actions: [{ type: 'open_case', reason: 'negative_public_review', routing: { to: 'team', team: 'support' } }],
    },
    // Before the detractor rule: the first open_case names the case, and "says they are leaving" is the more
    // precise reason, also for a promoter's score.
    {
      id: 'churn-risk',
      name: 'Churn risk, whatever the score → case for the account owner',
      when: [{ churnRiskAtLeast: 0.7 }],
      actions: [{ type: 'open_case', reason: 'churn_risk', routing: { to: 'account_owner' } }],
    },
    {
      id: 'detractor',
      name: 'Detractor → case for the account owner',
      when: [{ scoreCategories: ['detractor'] }],
      actions: [{ type: 'open_case', reason: 'detractor', routing: { to: 'account_owner' } }],
    },
    {
      id: 'promoter-thank-you',
      name: 'Promoter → thank-you with a review invitation',
      // A promoter whose comment is negative (an inconsistent answer) is not asked for a public review.
      when: [{ scoreCategories: ['promoter'], sentiments: ['positive', 'neutral'] }],
      actions: [{ type: 'invite_review', template: 'thank_you_review' }],
    },
  ],
});

export interface CategorisedFeedback {
  feedback: Feedback;
  categorisation: Categorisation;
}

export type PlannedAction =
  | (Extract<RuleAction, { type: 'open_case' }> & { priority: CasePriority; ruleId: string })
  | (Exclude<RuleAction, { type: 'open_case' }> & { ruleId: string });

export interface RuleEvaluation {
  ruleSetVersion: number;
  matchedRuleIds: string[];
  actions: PlannedAction[];
}

const includesValue = <T>(accepted: readonly T[] | undefined, value: T | undefined): boolean =>
  accepted === undefined || (value !== undefined && accepted.includes(value));

export function conditionMatches(condition: Condition, { feedback, categorisation }: CategorisedFeedback): boolean {
  const category = scoreCategoryOf(feedback);
  const topicIds = categorisation.topics.map((topic) => topic.id);
  const intentIds = categorisation.intents.map((intent) => intent.id);
  return (
    includesValue(condition.kinds, feedback.kind) &&
    includesValue(condition.scoreCategories, category) &&
    includesValue(condition.scorePolarities, category && polarityOf(category)) &&
    includesValue(condition.sentiments, categorisation.sentiment.label) &&
    (condition.topics === undefined || condition.topics.some((topic) => topicIds.includes(topic))) &&
    (condition.intents === undefined || condition.intents.some((intent) => intentIds.includes(intent))) &&
    (condition.churnRiskAtLeast === undefined || categorisation.churnRisk.score >= condition.churnRiskAtLeast) &&
    includesValue(condition.sources, feedback.source) &&
    includesValue(condition.channels, feedback.channel) &&
    Object.entries(condition.attributes ?? {}).every(([name, accepted]) =>
      includesValue(accepted, feedback.attributes[name]),
    )
  );
}

export function ruleMatches(rule: Rule, input: CategorisedFeedback): boolean {
  return rule.enabled && rule.when.some((condition) => conditionMatches(condition, input));
}

function resolvedPriority(priority: CasePriority | 'auto', { categorisation }: CategorisedFeedback): CasePriority {
  if (priority !== 'auto') return priority;
  return categorisation.churnRisk.score >= 0.5 || categorisation.sentiment.label === 'negative' ? 'high' : 'normal';
}

/**
 * The actions a rule set plans for one piece of categorised feedback: rules in order, each matching rule adding its
 * actions, until a matching rule says `stop`. A piece of feedback has at most one case (its id derives from the
 * feedback), so only the first planned `open_case` is kept.
 */
export function evaluateRules(ruleSet: RuleSet, input: CategorisedFeedback): RuleEvaluation {
  const matchedRuleIds: string[] = [];
  const actions: PlannedAction[] = [];
  for (const rule of ruleSet.rules) {
    if (!ruleMatches(rule, input)) continue;
    matchedRuleIds.push(rule.id);
    for (const action of rule.actions) {
      if (action.type !== 'open_case') {
        actions.push({ ...action, ruleId: rule.id });
      } else if (!actions.some((planned) => planned.type === 'open_case')) {
        actions.push({ ...action, priority: resolvedPriority(action.priority, input), ruleId: rule.id });
      }
    }
    if (rule.onMatch === 'stop') break;
  }
  return { ruleSetVersion: ruleSet.version, matchedRuleIds, actions };
}
