import type { Feedback } from '@cxloop/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CategorisedFeedback,
  defaultRuleSet,
  evaluateRules,
  type RuleSetInput,
  ruleSetSchema,
  rulesSchema,
  scoreCategoryOf,
} from '../src/domain/rules';
import { categorised } from './categorised-fixture';

const scored = (kind: Feedback['kind'], value: number, min: number, max: number) =>
  ({ kind, score: { value, min, max, normalised: (value - min) / (max - min) } }) as const;
const nps = (value: number) => scored('nps', value, 0, 10);
const positive = { sentiment: { label: 'positive', score: 0.8 } } as const;
const negative = { sentiment: { label: 'negative', score: -0.8 } } as const;

const ruleSet = (rules: RuleSetInput['rules']) => ruleSetSchema.parse({ version: 3, rules });

describe('scoreCategoryOf', () => {
  it.each([
    [0, 'detractor'],
    [6, 'detractor'],
    [7, 'passive'],
    [8, 'passive'],
    [9, 'promoter'],
    [10, 'promoter'],
  ] as const)('NPS %i is %s', (value, category) => {
    expect(scoreCategoryOf(nps(value))).toBe(category);
  });

  it.each([
    [1, 'dissatisfied'],
    [2, 'dissatisfied'],
    [3, 'neutral'],
    [4, 'satisfied'],
    [5, 'satisfied'],
  ] as const)('CSAT %i of 5 is %s', (value, category) => {
    expect(scoreCategoryOf(scored('csat', value, 1, 5))).toBe(category);
  });

  it.each([
    [1, 'hard'],
    [3, 'hard'],
    [4, 'neutral'],
    [5, 'easy'],
    [7, 'easy'],
  ] as const)('CES %i of 7 is %s', (value, category) => {
    expect(scoreCategoryOf(scored('ces', value, 1, 7))).toBe(category);
  });

  it('rates stars like CSAT and other scales by the normalised score', () => {
    expect(scoreCategoryOf(scored('review', 1, 1, 5))).toBe('dissatisfied');
    expect(scoreCategoryOf(scored('rating', 5, 1, 5))).toBe('satisfied');
    expect(scoreCategoryOf(scored('csat', 2, 1, 10))).toBe('dissatisfied');
    expect(scoreCategoryOf(scored('ces', 2, 1, 5))).toBe('hard');
  });

  it('has no category without a score', () => {
    expect(scoreCategoryOf({ kind: 'text', score: undefined })).toBeUndefined();
    expect(scoreCategoryOf({ kind: 'nps', score: undefined })).toBeUndefined();
  });
});

describe('defaultRuleSet', () => {
  it('is valid as it stands', () => {
    expect(ruleSetSchema.parse(defaultRuleSet)).toEqual(defaultRuleSet);
  });

  it('opens a case for the account owner for a detractor, high priority when the comment is negative', () => {
    const { actions, matchedRuleIds } = evaluateRules(defaultRuleSet, categorised(nps(3), negative));
    expect(matchedRuleIds).toEqual(['detractor']);
    expect(actions).toEqual([
      {
        type: 'open_case',
        reason: 'detractor',
        routing: { to: 'account_owner' },
        priority: 'high',
        ruleId: 'detractor',
      },
    ]);
  });

  it('opens a case for a passive at churn risk', () => {
    const { actions } = evaluateRules(
      defaultRuleSet,
      categorised(nps(8), { churnRisk: { score: 0.75, evidence: [] } }),
    );
    expect(actions).toMatchObject([
      { type: 'open_case', reason: 'churn_risk', routing: { to: 'account_owner' }, priority: 'high' },
    ]);
  });

  it('names the case of a promoter who says they are leaving for the churn risk, not a score group', () => {
    const { actions } = evaluateRules(
      defaultRuleSet,
      categorised(nps(10), { churnRisk: { score: 0.9, evidence: [] } }),
    );
    expect(actions.find((action) => action.type === 'open_case')).toMatchObject({ reason: 'churn_risk' });
  });

  it('names a detractor at churn risk for the churn risk', () => {
    const { actions } = evaluateRules(defaultRuleSet, categorised(nps(2), { churnRisk: { score: 0.9, evidence: [] } }));
    expect(actions[0]).toMatchObject({ type: 'open_case', reason: 'churn_risk', ruleId: 'churn-risk' });
  });

  it('thanks a promoter and invites a review', () => {
    const { actions } = evaluateRules(defaultRuleSet, categorised(nps(10), positive));
    expect(actions).toEqual([{ type: 'invite_review', template: 'thank_you_review', ruleId: 'promoter-thank-you' }]);
  });

  it('does not invite a promoter whose comment is negative to review in public', () => {
    expect(evaluateRules(defaultRuleSet, categorised(nps(10), negative)).actions).toEqual([]);
  });

  it('opens a case for the support team for a negative public review, by stars or by sentiment', () => {
    const byStars = categorised({ ...scored('review', 1, 1, 5), source: 'trustpilot', channel: 'review_site' });
    const bySentiment = categorised({ kind: 'review', score: undefined, source: 'google_play' }, negative);
    for (const input of [byStars, bySentiment]) {
      const { actions, matchedRuleIds } = evaluateRules(defaultRuleSet, input);
      expect(matchedRuleIds).toEqual(['negative-public-review']);
      expect(actions).toMatchObject([{ type: 'open_case', routing: { to: 'team', team: 'support' } }]);
    }
  });

  it('leaves a passive with a neutral comment alone', () => {
    expect(evaluateRules(defaultRuleSet, categorised(nps(7), { sentiment: { label: 'neutral', score: 0 } }))).toEqual({
      ruleSetVersion: 1,
      matchedRuleIds: [],
      actions: [],
    });
  });
});

describe('evaluateRules', () => {
  const notify = { type: 'notify', channel: 'slack' } as const;

  it('evaluates rules in order and stops at the first matching rule that says stop', () => {
    const rules = ruleSet([
      { id: 'a', name: 'a', when: [{ kinds: ['csat'] }], actions: [notify] },
      { id: 'b', name: 'b', when: [{}], actions: [notify], onMatch: 'continue' },
      { id: 'c', name: 'c', when: [{ kinds: ['nps'] }], actions: [notify] },
      { id: 'd', name: 'd', when: [{}], actions: [notify] },
    ]);
    const evaluation = evaluateRules(rules, categorised(nps(5)));
    expect(evaluation.ruleSetVersion).toBe(3);
    expect(evaluation.matchedRuleIds).toEqual(['b', 'c']);
    expect(evaluation.actions.map((action) => action.ruleId)).toEqual(['b', 'c']);
  });

  it('skips disabled rules', () => {
    const rules = ruleSet([
      { id: 'off', name: 'off', enabled: false, when: [{}], actions: [notify] },
      { id: 'on', name: 'on', when: [{}], actions: [notify] },
    ]);
    expect(evaluateRules(rules, categorised()).matchedRuleIds).toEqual(['on']);
  });

  it('plans at most one case per feedback, the first one', () => {
    const openCase = (team: string) => ({ type: 'open_case', reason: team, routing: { to: 'team', team } }) as const;
    const rules = ruleSet([
      { id: 'first', name: 'first', when: [{}], actions: [openCase('cx'), notify], onMatch: 'continue' },
      { id: 'second', name: 'second', when: [{}], actions: [openCase('support'), notify] },
    ]);
    const { actions } = evaluateRules(rules, categorised());
    expect(actions.map((action) => [action.type, action.ruleId])).toEqual([
      ['open_case', 'first'],
      ['notify', 'first'],
      ['notify', 'second'],
    ]);
  });

  it('keeps an explicit priority and the configured SLA', () => {
    const rules = ruleSet([
      {
        id: 'r',
        name: 'r',
        when: [{}],
        actions: [{ type: 'open_case', reason: 'r', routing: { to: 'topic_team' }, priority: 'low', slaHours: 4 }],
      },
    ]);
    expect(evaluateRules(rules, categorised({}, negative)).actions).toMatchObject([{ priority: 'low', slaHours: 4 }]);
  });

  describe('conditions', () => {
    const matches = (when: RuleSetInput['rules'][number]['when'], input: CategorisedFeedback) =>
      evaluateRules(ruleSet([{ id: 'r', name: 'r', when, actions: [notify] }]), input).matchedRuleIds.length === 1;
    const delivery = { topics: [{ id: 'delivery', score: 0.9, evidence: [] }] };
    const complaint = { intents: [{ id: 'complaint' as const, score: 0.8, evidence: [] }] };

    it('match on topic, intent, sentiment, source, channel and kind', () => {
      const input = categorised({ source: 'zendesk', channel: 'helpdesk', ...nps(2) }, { ...delivery, ...complaint });
      expect(matches([{ topics: ['price', 'delivery'] }], input)).toBe(true);
      expect(matches([{ topics: ['price'] }], input)).toBe(false);
      expect(matches([{ intents: ['complaint'] }], input)).toBe(true);
      expect(matches([{ intents: ['praise'] }], input)).toBe(false);
      expect(matches([{ sources: ['zendesk'], channels: ['helpdesk'], kinds: ['nps'] }], input)).toBe(true);
      expect(matches([{ sources: ['widget'] }], input)).toBe(false);
      expect(matches([{ channels: ['web'] }], input)).toBe(false);
      expect(matches([{ scorePolarities: ['negative'] }], input)).toBe(true);
      expect(matches([{ scorePolarities: ['positive', 'neutral'] }], input)).toBe(false);
    });

    it('match the churn risk from a threshold, inclusive', () => {
      const at = (score: number) => categorised({}, { churnRisk: { score, evidence: [] } });
      expect(matches([{ churnRiskAtLeast: 0.6 }], at(0.6))).toBe(true);
      expect(matches([{ churnRiskAtLeast: 0.6 }], at(0.59))).toBe(false);
    });

    it('match customer attributes (segment, plan) only when every listed attribute has an accepted value', () => {
      const input = categorised({ attributes: { segment: 'enterprise', plan: 'pro', seats: 40 } });
      expect(matches([{ attributes: { segment: ['enterprise', 'mid'], seats: [40] } }], input)).toBe(true);
      expect(matches([{ attributes: { segment: ['enterprise'], plan: ['free'] } }], input)).toBe(false);
      expect(matches([{ attributes: { region: ['eu'] } }], categorised({ attributes: {} }))).toBe(false);
    });

    it('never match a score condition for feedback without a score', () => {
      const textOnly = categorised({ kind: 'text', score: undefined });
      expect(matches([{ scoreCategories: ['detractor', 'passive', 'promoter'] }], textOnly)).toBe(false);
      expect(matches([{ scorePolarities: ['negative', 'neutral', 'positive'] }], textOnly)).toBe(false);
    });

    it('combine fields of a clause with AND and clauses with OR', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 10 }), fc.boolean(), (score, isNegative) => {
          const input = categorised(nps(score), isNegative ? negative : positive);
          const detractor = score <= 6;
          expect(matches([{ scoreCategories: ['detractor'], sentiments: ['negative'] }], input)).toBe(
            detractor && isNegative,
          );
          expect(matches([{ scoreCategories: ['detractor'] }, { sentiments: ['negative'] }], input)).toBe(
            detractor || isNegative,
          );
        }),
      );
    });
  });
});

describe('ruleSetSchema', () => {
  it('rejects duplicate rule ids, unknown condition fields and rules without actions', () => {
    const rule = { id: 'r', name: 'r', when: [{}], actions: [{ type: 'notify', channel: 'slack' }] };
    expect(ruleSetSchema.safeParse({ version: 1, rules: [rule, rule] }).success).toBe(false);
    expect(ruleSetSchema.safeParse({ version: 1, rules: [{ ...rule, when: [{ score: 3 }] }] }).success).toBe(false);
    expect(ruleSetSchema.safeParse({ version: 1, rules: [{ ...rule, actions: [] }] }).success).toBe(false);
    expect(ruleSetSchema.safeParse({ version: 1, rules: [rule] }).success).toBe(true);
  });

  it('names the rules list in the duplicate-id error, and takes the same rules without a version (PUT bodies)', () => {
    const rule = { id: 'r', name: 'r', when: [{}], actions: [{ type: 'notify', channel: 'slack' }] };
    const duplicate = rulesSchema.safeParse([rule, rule]);
    expect(duplicate.success).toBe(false);
    expect(duplicate.error?.issues).toEqual([
      expect.objectContaining({ path: [], message: 'rule ids must be unique' }),
    ]);
    expect(rulesSchema.parse([rule])).toEqual([{ ...rule, enabled: true, onMatch: 'stop' }]);
  });

  it('leaves the SLA of an open_case action to the config unless the rule sets one', () => {
    const openCase = { type: 'open_case', reason: 'detractor', routing: { to: 'account_owner' } };
    const [withDefault] = rulesSchema.parse([{ id: 'a', name: 'a', when: [{}], actions: [openCase] }]);
    expect(withDefault?.actions[0]).not.toHaveProperty('slaHours');
    const [short] = rulesSchema.parse([
      { id: 'a', name: 'a', when: [{}], actions: [{ ...openCase, slaHours: 0.001 }] },
    ]);
    expect(short?.actions[0]).toMatchObject({ slaHours: 0.001 });
  });
});
