import { describe, expect, it } from 'vitest';
import {
  caseUrlOf,
  defaultFollowUpConfig,
  escalationPolicyOf,
  followUpConfigSchema,
  slackTargetOf,
  slaHoursFor,
} from '../src/domain/config';

const openCase = {
  type: 'open_case',
  reason: 'detractor',
  routing: { to: 'account_owner' },
  priority: 'high',
  ruleId: 'r',
} as const;

describe('followUpConfigSchema', () => {
  it('has defaults for everything: a fallback owner, a 24 h SLA, one Slack escalation at the deadline, 30-day reopen, 10 people per outreach', () => {
    expect(defaultFollowUpConfig).toEqual({
      routing: {
        topicTeams: {},
        accountOwnerAttributes: ['accountOwner'],
        segmentOwners: {},
        fallbackOwner: 'cx-team',
      },
      owners: {},
      sla: { defaultHours: 24, byReason: {} },
      outreach: { people: 10 },
      escalation: { steps: [{ afterHoursOverdue: 0, to: { channel: 'slack' } }] },
      reopen: { reopenWithinDays: 30 },
      locale: 'en',
      caseWebhooks: false,
      alertWebhooks: false,
    });
    expect(escalationPolicyOf(defaultFollowUpConfig).steps).toHaveLength(1);
  });

  it('fills the defaults inside a partial routing section', () => {
    const config = followUpConfigSchema.parse({
      routing: { fallbackOwner: 'support', topicTeams: { delivery: 'logistics' } },
    });
    expect(config.routing).toEqual({
      fallbackOwner: 'support',
      topicTeams: { delivery: 'logistics' },
      accountOwnerAttributes: ['accountOwner'],
      segmentOwners: {},
    });
  });

  it.each([
    [{ owners: { anna: { slackTarget: 'has space' } } }, 'owners.anna.slackTarget'],
    [{ owners: { anna: { email: 'not-an-address' } } }, 'owners.anna.email'],
    [{ escalation: { steps: [{ afterHoursOverdue: 2, to: { channel: 'sms' } }] } }, 'escalation.steps.0.to'],
    [
      {
        escalation: {
          steps: [
            { afterHoursOverdue: 4, to: { owner: 'lead' } },
            { afterHoursOverdue: 2, to: { channel: 'slack' } },
          ],
        },
      },
      'escalation.steps',
    ],
    [{ caseUrlTemplate: 'https://cx.example.com/cases' }, 'caseUrlTemplate'],
    [{ sla: { byReason: { detractor: 0 } } }, 'sla.byReason.detractor'],
    [{ locale: 'de' }, 'locale'],
    [{ unknownSetting: true }, ''],
  ])('refuses %j, naming %s', (input, field) => {
    const result = followUpConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});

describe('slaHoursFor', () => {
  const config = followUpConfigSchema.parse({ sla: { defaultHours: 48, byReason: { negative_public_review: 4 } } });

  it('takes the rule’s own SLA first, then the reason’s, then the default', () => {
    expect(slaHoursFor({ ...openCase, slaHours: 2 }, config)).toBe(2);
    expect(slaHoursFor({ ...openCase, reason: 'negative_public_review' }, config)).toBe(4);
    expect(slaHoursFor(openCase, config)).toBe(48);
    expect(slaHoursFor(openCase, defaultFollowUpConfig)).toBe(24);
  });
});

describe('caseUrlOf', () => {
  it('links to the dashboard the API serves unless a template is configured', () => {
    expect(caseUrlOf(defaultFollowUpConfig, 'case_fb 1', 'https://api.example.com/')).toBe(
      'https://api.example.com/dashboard/#/cases/case_fb%201',
    );
    expect(
      caseUrlOf({ caseUrlTemplate: 'https://cx.example.com/dashboard/#/cases/{caseId}' }, 'case_fb1', 'https://x'),
    ).toBe('https://cx.example.com/dashboard/#/cases/case_fb1');
  });
});

describe('slackTargetOf', () => {
  it('finds the owner in the directory, else leaves the default to the sender', () => {
    const config = followUpConfigSchema.parse({ owners: { logistics: { slackTarget: 'logistics' } } });
    expect(slackTargetOf(config, 'logistics')).toBe('logistics');
    expect(slackTargetOf(config, 'anna')).toBeUndefined();
    expect(slackTargetOf(config, undefined)).toBeUndefined();
  });
});
